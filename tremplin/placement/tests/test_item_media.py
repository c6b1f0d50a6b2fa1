"""A question's own picture and recordings: a trainer uploads them on the question's form, the
person taking the test sees the picture and hears the recording of their language; only
pictures and sounds checked by their content are kept; a file replaced or removed is deleted;
the files of a question not live yet are for the people who may read the bank."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import World
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.placement.bank import bank_install_shipped, items_import
from tremplin.placement.models import Attempt, Item, ItemRecording
from tremplin.placement.services import attempts as services
from tremplin.placement.services import item_files, item_media
from tremplin.placement.services import items as item_services
from tremplin.placement.tests.test_items_ui import entry, form_data

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(200)
OGG = b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead" + bytes(100)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b"<script>alert(document.cookie)</script></svg>"
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def png(size: tuple[int, int] = (40, 30), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored(media: Path) -> list[str]:
    """The files kept under MEDIA_ROOT, as their names in the storage."""
    if not media.exists():
        return []
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def new_item(client: Client, **files: Any) -> Item:
    response = client.post(reverse("placement:item-new"), {**form_data(), **files})
    assert response.status_code == 302, response.context["form"].errors
    return Item.objects.get(code="NEW-01")


def edit(client: Client, item: Item, **changes: Any) -> Any:
    return client.post(
        reverse("placement:item-edit", args=[item.pk]),
        form_data(code=item.code, **changes),
    )


def file_url(item: Item, part: str) -> str:
    return reverse("placement:item-file", kwargs={"item_id": item.pk, "part": part})


# --- Upload, and what the person taking the test sees ----------------------------------------


def test_the_test_taker_sees_the_uploaded_picture_and_hears_the_recording_of_their_language(
    world: World, media: Path
) -> None:
    trainer = world.client_for("trainer_a1")
    item = new_item(
        trainer,
        picture=upload("fibre-splicer.png", png(), "image/png"),
        recording_ar=upload("question-ar.ogg", OGG, "audio/ogg"),
        recording_fr=upload("question-fr.mp3", MP3, "audio/mpeg"),
    )
    assert item.picture.name.startswith(f"placement/{world.alpha.pk}/")
    assert item.picture.name.endswith(".png")
    assert "fibre-splicer" not in item.picture.name  # the name given is never kept
    recordings = {r.language: r.file.name for r in item.recordings.all()}
    assert sorted(recordings) == ["ar", "fr"]
    assert recordings["ar"].endswith(".ogg")
    assert recordings["fr"].endswith(".mp3")
    assert len(stored(media)) == 3
    assert (
        world.client_for("manager_a1")
        .post(reverse("placement:item-status", args=[item.pk]), {"status": "live"})
        .status_code
        == 302
    )

    # A test in Arabic whose next question is this one.
    bank_install_shipped(world.alpha)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        language="ar",
    )
    Attempt.objects.filter(pk=started.attempt.pk).update(next_item=item)
    link = reverse("placement:take", kwargs={"token": started.token})
    applicant = Client()
    page = applicant.get(link).content.decode()
    picture = item_media.picture_url(item)
    assert picture == f"{file_url(item, 'picture')}?v={Path(item.picture.name).stem}"
    assert f'<img src="{picture}"' in page
    assert f'data-audio="{file_url(item, "ar")}?v={Path(recordings["ar"]).stem}"' in page

    # The files themselves, for the applicant who is not signed in.
    answered = applicant.get(picture)
    assert answered.status_code == 200
    assert b"".join(answered.streaming_content) == png()  # type: ignore[attr-defined]
    assert answered["Content-Type"] == "image/png"
    assert answered["X-Content-Type-Options"] == "nosniff"
    assert answered["Content-Disposition"] == "inline"
    assert answered["Cache-Control"] == "public, max-age=86400"
    sound = applicant.get(file_url(item, "ar"))
    assert sound.status_code == 200
    assert sound["Content-Type"] == "audio/ogg"
    assert b"".join(sound.streaming_content) == OGG  # type: ignore[attr-defined]
    assert applicant.get(file_url(item, "fr"))["Content-Type"] == "audio/mpeg"
    assert applicant.get(file_url(item, "en")).status_code == 404  # no recording in English
    assert applicant.get(file_url(item, "de")).status_code == 404
    assert applicant.get(file_url(item, "settings.py")).status_code == 404
    # Safari asks for a recording in parts before playing it.
    first = applicant.get(file_url(item, "ar"), HTTP_RANGE="bytes=0-3")
    assert first.status_code == 206
    assert first.content == b"OggS"
    assert first["Content-Range"] == f"bytes 0-3/{len(OGG)}"
    assert first["Content-Type"] == "audio/ogg"
    assert applicant.get(file_url(item, "ar"), HTTP_RANGE="bytes=-2").content == OGG[-2:]
    beyond = applicant.get(file_url(item, "ar"), HTTP_RANGE=f"bytes={len(OGG)}-")
    assert beyond.status_code == 416


def test_a_test_in_english_without_an_english_recording_reads_with_the_device_voice(
    world: World,
) -> None:
    item = new_item(world.client_for("trainer_a1"), recording_ar=upload("q.ogg", OGG, "audio/ogg"))
    Item.objects.filter(pk=item.pk).update(status="live")
    bank_install_shipped(world.alpha)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        language="en",
    )
    Attempt.objects.filter(pk=started.attempt.pk).update(next_item=item)
    page = Client().get(reverse("placement:take", kwargs={"token": started.token}))
    assert "data-audio" not in page.content.decode()


def test_the_files_of_a_draft_are_for_those_who_may_read_the_bank(world: World) -> None:
    item = new_item(
        world.client_for("trainer_a1"),
        picture=upload("p.png", png(), "image/png"),
        recording_en=upload("q.mp3", MP3, "audio/mpeg"),
    )
    assert item.status == "draft"
    for persona, status in (
        ("anonymous", 404),
        ("nobody", 404),
        ("coach_a1", 404),
        ("manager_b1", 404),
        ("trainer_a1", 200),
        ("officer_a1", 200),
        ("manager_a1", 200),
    ):
        client = world.client_for(persona)
        for part in ("picture", "en"):
            response = client.get(file_url(item, part))
            assert response.status_code == status, (persona, part)
    private = world.client_for("trainer_a1").get(file_url(item, "picture"))
    assert private["Cache-Control"] == "private, max-age=86400"


def test_the_question_page_and_the_form_show_the_uploaded_files(world: World) -> None:
    trainer = world.client_for("trainer_a1")
    item = new_item(
        trainer,
        picture=upload("p.png", png(), "image/png"),
        recording_fr=upload("q.mp3", MP3, "audio/mpeg"),
    )
    picture = item_media.picture_url(item)
    sound = item_media.recording_urls(item)["fr"]
    detail = trainer.get(reverse("placement:item-detail", args=[item.pk]) + "?lang=fr")
    page = detail.content.decode()
    assert f'<img src="{picture}"' in page
    assert f'data-audio="{sound}"' in page  # the preview's "Read aloud" plays it
    assert f'<audio controls preload="none" src="{sound}"' in page
    form = trainer.get(reverse("placement:item-edit", args=[item.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert f'src="{picture}"' in form
    assert 'name="picture_remove"' in form
    assert f'src="{sound}"' in form
    assert 'name="recording_fr_remove"' in form
    assert 'name="recording_ar_remove"' not in form  # nothing to remove in Arabic


def test_a_task_on_a_picture_can_use_an_uploaded_picture_and_keeps_it(world: World) -> None:
    trainer = world.client_for("trainer_a1")
    zones = {"choice1_x": "5", "choice1_y": "5", "choice1_w": "20", "choice1_h": "20"}
    zones |= {"choice2_x": "50", "choice2_y": "50", "choice2_w": "30", "choice2_h": "30"}
    response = trainer.post(
        reverse("placement:item-new"),
        form_data(kind="hotspot", **zones) | {"picture": upload("tool.webp", b"", "image/webp")},
    )
    assert "picture" in response.context["form"].errors  # an empty file is not a picture
    webp = io.BytesIO()
    Image.new("RGB", (60, 40), "orange").save(webp, format="WEBP")
    item = new_item(
        trainer,
        **form_data(kind="hotspot", **zones),
        picture=upload("tool.webp", webp.getvalue(), "image/webp"),
    )
    assert item.kind == "hotspot"
    assert item.image == ""
    assert item.picture.name.endswith(".webp")
    detail = trainer.get(reverse("placement:item-detail", args=[item.pk])).content.decode()
    assert f'<img src="{item_media.picture_url(item)}"' in detail
    assert '<rect class="hotspot-zone" x="50" y="50" width="30" height="30"' in detail
    # Without any picture left, a task on a picture is refused.
    refused = edit(trainer, item, kind="hotspot", **zones, picture_remove="on")
    assert "A task on a picture needs a picture." in refused.context["form"].errors["image"][0]
    item.refresh_from_db()
    assert item.picture
    # The file of questions goes back in unchanged: the picture stays.
    exported = item_files.items_export_json(actor=world.users["trainer_a1"], items=[item])
    document = json.loads(exported)
    assert "picture" not in document["items"][0]  # files do not travel in the file
    plan = item_files.items_import_file(
        actor=world.users["trainer_a1"],
        organisation=world.alpha,
        file_name="items.json",
        content=exported.encode(),
        apply=True,
    )
    assert plan.written, plan.rows
    assert plan.unchanged == 1
    changed = dict(document["items"][0], stem={"fr": "Touchez l'outil", "en": "Tap the tool"})
    plan = item_files.items_import_file(
        actor=world.users["trainer_a1"],
        organisation=world.alpha,
        file_name="items.json",
        content=json.dumps({"items": [changed]}).encode(),
        apply=True,
    )
    assert plan.written, plan.rows
    assert plan.updated == 1
    item.refresh_from_db()
    assert item.picture
    assert item.image == ""
    assert item.stem["en"] == "Tap the tool"


# --- What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "field", "message"),
    [
        ({"picture": upload("x.svg", SVG, "image/svg+xml")}, "picture", "The picture must be"),
        (
            {"picture": upload("photo.png", b"just some text\n" * 20, "image/png")},
            "picture",
            "The picture must be a PNG, JPEG or WebP image",
        ),
        (
            {"picture": upload("photo.png", png()[:60], "image/png")},  # cut short
            "picture",
            "The picture must be",
        ),
        (
            {"recording_ar": upload("voice.mp3", b"just some text\n" * 20, "audio/mpeg")},
            "recording_ar",
            "The recording in Arabic must be an MP3, OGG, M4A, AAC or WAV",
        ),
        (
            {"picture": upload("big.png", b"\x89PNG\r\n\x1a\n" + bytes(2 * 1024 * 1024))},
            "picture",
            "The picture is bigger than 2 MB",
        ),
        (
            {"picture": upload("wide.png", png((4001, 10)), "image/png")},
            "picture",
            "bigger than 4000 × 4000 pixels",
        ),
        (
            {"recording_fr": upload("long.mp3", MP3 + bytes(5 * 1024 * 1024), "audio/mpeg")},
            "recording_fr",
            "The recording in French is bigger than 5 MB",
        ),
    ],
)
def test_a_file_that_is_not_an_accepted_picture_or_sound_is_refused_and_nothing_is_saved(
    world: World, media: Path, files: dict[str, Any], field: str, message: str
) -> None:
    response = world.client_for("trainer_a1").post(
        reverse("placement:item-new"), {**form_data(), **files}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert str(response.context["form"][field].label) in page  # the summary names the field
    assert not Item.objects.filter(code="NEW-01").exists()
    assert stored(media) == []


def test_the_service_checks_the_files_too_and_names_the_field(world: World, media: Path) -> None:
    items_import(organisation=world.alpha, entries=[entry("SVC-01")])
    item = Item.objects.get(code="SVC-01")
    with pytest.raises(ValidationError) as refused:
        item_services.item_update(
            actor=world.users["trainer_a1"],
            item=item,
            entry={},
            files=item_media.FileChanges(
                picture=upload("x.png", SVG), recordings={"en": upload("x.wav", b"RIFF")}
            ),
        )
    assert set(refused.value.message_dict) == {"picture", "recording_en"}
    assert "recording in English" in refused.value.message_dict["recording_en"][0]
    assert stored(media) == []
    # A wrong question with a good picture: nothing saved, no file left behind.
    with pytest.raises(ValidationError):
        item_services.item_update(
            actor=world.users["trainer_a1"],
            item=item,
            entry={"level": 12},
            files=item_media.FileChanges(picture=upload("p.png", png())),
        )
    assert stored(media) == []
    item.refresh_from_db()
    assert not item.picture
    assert item.level == 2


# --- Replacing and removing --------------------------------------------------------------------


def test_replacing_a_file_deletes_the_old_one_and_changes_the_address(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    trainer = world.client_for("trainer_a1")
    item = new_item(
        trainer,
        picture=upload("one.png", png(colour="red"), "image/png"),
        recording_ar=upload("one.ogg", OGG, "audio/ogg"),
    )
    old_picture = item.picture.name
    old_sound = item.recordings.get(language="ar").file.name
    old_url = item_media.picture_url(item)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            trainer,
            item,
            picture=upload("two.jpg", _jpeg(), "image/jpeg"),
            recording_ar=upload("two.mp3", MP3, "audio/mpeg"),
        )
    assert response.status_code == 302
    item.refresh_from_db()
    new_sound = item.recordings.get(language="ar").file.name
    assert item.picture.name.endswith(".jpg")
    assert new_sound.endswith(".mp3")
    assert stored(media) == sorted([item.picture.name, new_sound])
    assert old_picture not in stored(media)
    assert old_sound not in stored(media)
    assert item_media.picture_url(item) != old_url
    answered = trainer.get(item_media.picture_url(item))
    assert answered["Content-Type"] == "image/jpeg"
    event = AuditEvent.objects.filter(action=AuditAction.ITEM_UPDATED, subject_id=item.pk).get()
    assert event.changes["picture"] == {"from": old_picture, "to": item.picture.name}
    assert event.changes["recording_ar"] == {"from": old_sound, "to": new_sound}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "navy").save(out, format="JPEG")
    return out.getvalue()


def test_removing_the_picture_and_a_recording_deletes_them(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    trainer = world.client_for("trainer_a1")
    item = new_item(
        trainer,
        picture=upload("p.png", png(), "image/png"),
        recording_fr=upload("q.mp3", MP3, "audio/mpeg"),
        recording_en=upload("q.ogg", OGG, "audio/ogg"),
    )
    created = AuditEvent.objects.get(action=AuditAction.ITEM_CREATED, subject_id=item.pk)
    assert set(created.changes) == {"picture", "recording_fr", "recording_en"}
    kept = item.recordings.get(language="en").file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(trainer, item, picture_remove="on", recording_fr_remove="on")
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.picture
    assert list(ItemRecording.objects.filter(item=item).values_list("language", flat=True)) == [
        "en"
    ]
    assert stored(media) == [kept]
    assert world.client_for("trainer_a1").get(file_url(item, "picture")).status_code == 404
    event = AuditEvent.objects.filter(action=AuditAction.ITEM_UPDATED, subject_id=item.pk).get()
    assert event.changes["picture"]["to"] is None
    assert event.changes["recording_fr"]["to"] is None
    assert "recording_en" not in event.changes


def test_saving_without_choosing_files_keeps_them(world: World, media: Path) -> None:
    trainer = world.client_for("trainer_a1")
    item = new_item(trainer, picture=upload("p.png", png(), "image/png"))
    before = stored(media)
    assert edit(trainer, item, stem_en="Where do you type it?").status_code == 302
    item.refresh_from_db()
    assert item.picture
    assert stored(media) == before
    event = AuditEvent.objects.filter(action=AuditAction.ITEM_UPDATED, subject_id=item.pk).get()
    assert set(event.changes) == {"stem"}


def test_an_uploaded_picture_needs_its_description_in_every_language(world: World) -> None:
    trainer = world.client_for("trainer_a1")
    new_item(
        trainer,
        choice2_ar="في بريد",
        accessibility_en="",
        picture=upload("p.png", png(), "image/png"),
    )
    items_import(organisation=world.alpha, entries=[entry("NO-PICTURE")])
    wanting = trainer.get(reverse("placement:item-list") + "?missing=ar")
    assert [row["item"].code for row in wanting.context["rows"]] == ["NEW-01"]
    item = Item.objects.get(code="NEW-01")
    detail = trainer.get(reverse("placement:item-detail", args=[item.pk]) + "?lang=ar")
    assert detail.context["preview"]["missing"] == ["picture description"]
