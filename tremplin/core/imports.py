"""The page of an import: check a file, keep it, apply it once the user confirms.

Every import page works the same way. A GET shows the form. A POST with the file checks it
(nothing written, every problem shown); a file with no problem is kept on the server
(``core.uploads``) under a token the page sends back with its confirm button. The confirm
POST takes that file back (same session, same token, same context), applies it (the service
checks it again inside its transaction, so all or nothing) and the file is deleted. Each
import gives its own form, check, apply, success and page; the flow is written here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tremplin.core.uploads import upload_context, upload_keep, upload_take

Plan = TypeVar("Plan")

# check(form, file name, content) -> (plan, context): the context to keep the file under
# when it may be applied, None when it has problems.
Check = Callable[[forms.Form, str, bytes], tuple[Plan, Mapping[str, Any] | None]]
# apply(file name, content, context) -> plan; None when the context leads nowhere now.
Apply = Callable[[str, bytes, dict[str, Any]], Plan | None]


def import_page(
    request: HttpRequest,
    *,
    kind: str,
    form_class: Callable[..., forms.Form],
    check: Check[Plan],
    apply: Apply[Plan],
    done: Callable[[Plan], HttpResponse | None],
    page: Callable[[forms.Form, Plan | None, str], HttpResponse],
    context: Mapping[str, Any] | None = None,
    confirm: str = "apply",
) -> HttpResponse:
    """Run one request of an import page.

    ``kind`` names the import in the session (one kept file per kind). ``form_class`` builds
    the form, unbound or from ``(request.POST, request.FILES)``; its ``file`` field holds the
    upload. ``check`` makes the plan without writing and says under which context to keep
    the file; ``apply`` writes the kept file and returns its plan; ``done`` turns a plan that
    was written into the response (a message and a redirect), or returns None when applying
    found problems after all; ``page`` renders the form, the plan (None before any check) and
    the token of the kept file ("" when nothing is kept).

    ``context`` is what the kept file must be for (a call, a stage), known from the URL;
    None when only the kept file knows it (an organisation chosen on the form), and ``apply``
    then checks it. ``confirm`` is the value of ``action`` that the confirm button posts.
    A confirm whose file is gone, or for another context, says so and shows the form again.
    """
    if request.method == "POST" and request.POST.get("action") == confirm:
        expected = dict(context) if context is not None else upload_context(request, kind=kind)
        taken = upload_take(
            request, kind=kind, token=request.POST.get("token", ""), context=expected
        )
        plan = None if taken is None else apply(taken[0], taken[1], expected)
        if plan is None:
            messages.error(request, _("The checked file is no longer here: choose it again."))
            return redirect(request.path)
        return done(plan) or page(form_class(), plan, "")
    if request.method != "POST":
        return page(form_class(), None, "")
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return page(form, None, "")
    upload = form.cleaned_data["file"]
    file_name, content = upload.name or "", upload.read()
    plan, keep = check(form, file_name, content)
    token = ""
    if keep is not None:
        token = upload_keep(request, kind=kind, content=content, file_name=file_name, context=keep)
    return page(form, plan, token)
