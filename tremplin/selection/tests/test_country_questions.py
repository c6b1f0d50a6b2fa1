"""A question that makes sense in one country only, France's priority neighbourhoods (QPV),
is asked on the public form only where the programme asks it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.network.models import Programme
from tremplin.selection.models import Application
from tremplin.selection.tests.builders import open_call
from tremplin.selection.tests.test_application_form import ABOUT, CONTACT, _step, fill

QUESTION = "priority neighbourhood"


def test_the_priority_neighbourhood_question_is_not_asked_by_default(world: World) -> None:
    call = open_call(world)
    client = Client()
    fill(client, call, ABOUT)
    assert QUESTION not in client.get(_step(call, 2)).content.decode()
    # Sent anyway (an old page, a script), the answer is not kept.
    fill(Client(), call, ABOUT, {**CONTACT, "priority_neighbourhood": "yes"})
    assert not any("priority_neighbourhood" in a.answers for a in Application.objects.all())


def test_a_programme_that_asks_it_gets_the_answer(world: World) -> None:
    Programme.objects.filter(pk=world.programme_alpha.pk).update(asks_priority_neighbourhood=True)
    call = open_call(world)
    client = Client()
    fill(client, call, ABOUT)
    assert QUESTION in client.get(_step(call, 2)).content.decode()
    client.post(_step(call, 2), {**CONTACT, "priority_neighbourhood": "yes"})
    assert Application.objects.get(call=call).answers["priority_neighbourhood"] is True


def test_a_target_from_priority_neighbourhoods_needs_the_question(world: World) -> None:
    client = world.client_for("admin_a")
    programme = world.programme_alpha
    url = reverse("network:programme-edit", args=[programme.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(target_priority_share="0.4", asks_priority_neighbourhood="")
    page = client.post(url, data)
    assert page.status_code == 200
    assert "needs the question" in page.content.decode()
    data["asks_priority_neighbourhood"] = "on"
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.asks_priority_neighbourhood
