"""The import flow, with a fake importer of fruit: check, keep, confirm, apply once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import path

from tremplin.core.imports import import_page

KIND = "fruit_import"
APPLIED: list[dict[str, Any]] = []  # what the fake importer wrote, in order


@dataclass
class FruitPlan:
    file_name: str
    fruit: list[str]
    problems: list[str] = field(default_factory=list)
    written: bool = False


class FruitFileForm(forms.Form):
    basket = forms.CharField()
    file = forms.FileField()


def _plan(file_name: str, content: bytes) -> FruitPlan:
    fruit = content.decode().split()
    problems = [f"“{f}” is not a fruit." for f in fruit if f in ("stone", "rust")]
    return FruitPlan(file_name=file_name, fruit=fruit, problems=problems)


def fruit_import(request: HttpRequest, basket: str) -> HttpResponse:
    """A page with its context in the URL, as an import into a call or a stage."""

    def check(form: forms.Form, file_name: str, content: bytes) -> Any:
        plan = _plan(file_name, content)
        return plan, None if plan.problems else {"basket": basket}

    def apply(file_name: str, content: bytes, context: dict[str, Any]) -> FruitPlan:
        plan = _plan(file_name, content)
        if b"late" in content:  # found only when applying, as a duplicate made meanwhile
            plan.problems.append("Someone else brought these meanwhile.")
        if not plan.problems:
            APPLIED.append({"file_name": file_name, "fruit": plan.fruit, **context})
            plan.written = True
        return plan

    def done(plan: FruitPlan) -> HttpResponse | None:
        return redirect("/done/") if plan.written else None

    def page(form: forms.Form, plan: FruitPlan | None, token: str) -> HttpResponse:
        return HttpResponse(
            json.dumps(
                {
                    "bound": form.is_bound,
                    "errors": form.errors,
                    "fruit": plan.fruit if plan else None,
                    "problems": plan.problems if plan else None,
                    "token": token,
                }
            )
        )

    return import_page(
        request,
        kind=KIND,
        form_class=FruitFileForm,
        check=check,
        apply=apply,
        done=done,
        page=page,
        context={"basket": basket},
        confirm="import",
    )


def pantry_import(request: HttpRequest) -> HttpResponse:
    """A page whose context is chosen on the form, as an organisation: the kept file knows it."""

    def check(form: forms.Form, file_name: str, content: bytes) -> Any:
        plan = _plan(file_name, content)
        return plan, None if plan.problems else {"basket": form.cleaned_data["basket"]}

    def apply(file_name: str, content: bytes, context: dict[str, Any]) -> FruitPlan | None:
        if context.get("basket") == "gone":  # no longer one the user may fill
            return None
        APPLIED.append({"file_name": file_name, **context})
        return FruitPlan(file_name=file_name, fruit=[], written=True)

    return import_page(
        request,
        kind=KIND,
        form_class=FruitFileForm,
        check=check,
        apply=apply,
        done=lambda plan: HttpResponse("done"),
        page=lambda form, plan, token: HttpResponse(f"token={token}"),
    )


urlpatterns = [
    path("fruit/<str:basket>/", fruit_import),
    path("pantry/", pantry_import),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _kept_files(settings: Any, tmp_path: Path) -> None:
    settings.TREMPLIN_IMPORT_DIR = tmp_path / "imports"
    APPLIED.clear()


def _check(client: Client, url: str, text: str, basket: str = "red") -> dict[str, Any]:
    upload = SimpleUploadedFile("fruit.txt", text.encode())
    response = client.post(url, {"action": "check", "basket": basket, "file": upload})
    assert response.status_code == 200
    result: dict[str, Any] = json.loads(response.content)
    return result


def _messages(response: HttpResponse) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_a_get_shows_the_empty_form(client: Client) -> None:
    shown = json.loads(client.get("/fruit/red/").content)
    assert shown == {"bound": False, "errors": {}, "fruit": None, "problems": None, "token": ""}


def test_a_form_without_a_file_shows_its_errors_and_checks_nothing(client: Client) -> None:
    shown = json.loads(client.post("/fruit/red/", {"action": "check"}).content)
    assert shown["bound"] is True
    assert set(shown["errors"]) == {"basket", "file"}
    assert shown["fruit"] is None


def test_a_file_with_problems_is_shown_and_not_kept(client: Client, tmp_path: Path) -> None:
    shown = _check(client, "/fruit/red/", "apple stone")
    assert shown["problems"] == ["“stone” is not a fruit."]
    assert shown["token"] == ""
    assert not (tmp_path / "imports").exists() or not any((tmp_path / "imports").iterdir())
    assert "upload:fruit_import" not in client.session


def test_a_clean_file_is_kept_then_applied_once_on_confirm(client: Client, tmp_path: Path) -> None:
    shown = _check(client, "/fruit/red/", "apple pear")
    assert shown["fruit"] == ["apple", "pear"]
    assert shown["token"]
    (kept,) = (tmp_path / "imports").iterdir()
    assert APPLIED == []  # checking writes nothing

    response = client.post("/fruit/red/", {"action": "import", "token": shown["token"]})
    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert APPLIED == [{"file_name": "fruit.txt", "fruit": ["apple", "pear"], "basket": "red"}]
    assert not kept.exists()
    assert "upload:fruit_import" not in client.session

    again = client.post("/fruit/red/", {"action": "import", "token": shown["token"]})
    assert again.status_code == 302
    assert again["Location"] == "/fruit/red/"
    assert _messages(again) == ["The checked file is no longer here: choose it again."]
    assert len(APPLIED) == 1


def test_a_confirm_for_another_context_or_token_applies_nothing(client: Client) -> None:
    shown = _check(client, "/fruit/red/", "apple")
    elsewhere = client.post("/fruit/green/", {"action": "import", "token": shown["token"]})
    assert elsewhere["Location"] == "/fruit/green/"
    assert APPLIED == []
    shown = _check(client, "/fruit/red/", "apple")
    wrong = client.post("/fruit/red/", {"action": "import", "token": "not-the-token"})
    assert wrong.status_code == 302
    assert APPLIED == []


def test_problems_found_on_applying_are_shown_with_a_fresh_form(client: Client) -> None:
    shown = _check(client, "/fruit/red/", "late plums")
    response = client.post("/fruit/red/", {"action": "import", "token": shown["token"]})
    assert response.status_code == 200
    page = json.loads(response.content)
    assert page["problems"] == ["Someone else brought these meanwhile."]
    assert (page["bound"], page["token"]) == (False, "")
    assert APPLIED == []


def test_only_the_named_confirm_action_applies(client: Client) -> None:
    shown = _check(client, "/fruit/red/", "apple")
    response = client.post("/fruit/red/", {"action": "apply", "token": shown["token"]})
    assert json.loads(response.content)["bound"] is True  # read as a check without a file
    assert APPLIED == []


def test_the_kept_file_carries_a_context_chosen_on_the_form(client: Client) -> None:
    upload = SimpleUploadedFile("fruit.txt", b"apple")
    page = client.post("/pantry/", {"action": "check", "basket": "blue", "file": upload})
    token = page.content.decode().removeprefix("token=")
    assert token
    response = client.post("/pantry/", {"action": "apply", "token": token})
    assert response.content == b"done"
    assert APPLIED == [{"file_name": "fruit.txt", "basket": "blue"}]


def test_a_context_that_leads_nowhere_now_is_a_file_no_longer_here(client: Client) -> None:
    upload = SimpleUploadedFile("fruit.txt", b"apple")
    page = client.post("/pantry/", {"action": "check", "basket": "gone", "file": upload})
    token = page.content.decode().removeprefix("token=")
    response = client.post("/pantry/", {"action": "apply", "token": token})
    assert response.status_code == 302
    assert _messages(response) == ["The checked file is no longer here: choose it again."]
    assert "upload:fruit_import" not in client.session  # the file is gone all the same
