"""Two reading levels and how to say a term (issue 13, item 5): a technical definition
beside the plain one, a pronunciation respelling and a recording, on the term page (with
and without JavaScript: `?level=technical`), in the admin, in revisions and in the
structured data, at the same cost per page as before."""

import hashlib
import json
import re
import wave
from io import BytesIO

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from exosite.kernel import audio, mentions, review
from exosite.models import Status
from glossary.models import REVIEWED_FIELDS, Term
from library.models import Citation
from tests.conftest import library_reference

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)
PLAIN = "Exosomes are tiny parcels that cells send out."
TECHNICAL = "An EV of **endosomal** origin, released on MVB fusion with the plasma membrane."


def wav_bytes(seconds=0.2):
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buffer.getvalue()


MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(400)
MP3_BARE = b"\xff\xfb\x90\x64" + bytes(400)  # an MPEG-1 layer III frame, no tags
OGG = b"OggS\x00\x02" + bytes(400)
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00" + bytes(400)
MP4_VIDEO = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(400)
ADTS_AAC = b"\xff\xf1\x50\x80" + bytes(400)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exosome(make_term):
    return make_term(
        name="Exosome",
        slug="exosome",
        short_definition="A tiny parcel released by cells.",
        definition=PLAIN,
        technical_definition=TECHNICAL,
        pronunciation="EK-soh-sohm",
    )


def page_data(response):
    """The JSON-LD objects of a page, by @type."""
    found = {}
    for block in JSON_LD.findall(response.content.decode()):
        data = json.loads(block)
        kind = data.get("@type")
        found[kind if isinstance(kind, str) else tuple(kind)] = data
    return found


def shown(response, level):
    """The element of the page holding `level`'s definition: (its HTML, hidden or not)."""
    html = response.content.decode()
    found = re.search(rf'<div id="definition-{level}" data-level="{level}"( hidden)?>', html)
    assert found, f"no {level} definition on the page"
    return not found.group(1)


# -- the fields --------------------------------------------------------------------------


def test_the_technical_definition_is_markdown_through_the_same_pipeline(exosome):
    assert exosome.technical_definition_html == (
        "<p>An EV of <strong>endosomal</strong> origin, released on MVB fusion with the "
        "plasma membrane.</p>"
    )
    exosome.technical_definition = "Bad <script>alert(1)</script> [x](javascript:alert(1))"
    exosome.save()
    assert "<script" not in exosome.technical_definition_html
    assert "javascript:" not in exosome.technical_definition_html


def test_the_fields_say_what_to_write(admin_client, exosome):
    form = (
        admin_client.get(reverse("admin:glossary_term_change", args=[exosome.pk]))
        .context["adminform"]
        .form
    )
    assert "capitals" in form.fields["pronunciation"].help_text
    assert "hyphens" in form.fields["pronunciation"].help_text
    assert "EK-soh-sohm" in form.fields["pronunciation"].help_text
    assert "MP3, Ogg, WAV or M4A" in form.fields["pronunciation_audio"].help_text
    assert (
        "tooltips always show the short definition" in form.fields["technical_definition"].help_text
    )
    assert isinstance(form.fields["pronunciation_audio"], forms.FileField)


def test_the_admin_groups_them_in_fieldsets(admin_client, exosome):
    response = admin_client.get(reverse("admin:glossary_term_change", args=[exosome.pk]))
    names = [fieldset.name for fieldset in response.context["adminform"]]
    assert names[:4] == [None, "Pronunciation", "Definition", "Technical definition"]
    assertContains(response, 'enctype="multipart/form-data"')


def test_revisions_keep_the_new_fields_and_compare_shows_them(admin_client, exosome):
    exosome.pronunciation = "EK-soh-zohm"
    exosome.technical_definition = "A different technical text."
    exosome.save()
    older, newer = exosome.history.order_by("history_date")[:2]
    assert (older.pronunciation, newer.pronunciation) == ("EK-soh-sohm", "EK-soh-zohm")
    assert newer.technical_definition == "A different technical text."
    assert hasattr(newer, "pronunciation_audio")
    url = reverse("admin:glossary_term_compare", args=[exosome.pk])
    response = admin_client.get(url, {"a": older.pk, "b": newer.pk})
    labels = [label for label, _ in response.context["changes"]]
    assert "Pronunciation" in labels
    assert "Technical definition" in labels


def test_a_review_covers_the_technical_definition_once_there_is_one(make_term, reviewer):
    term = make_term(definition="Plain.")
    term.record_review(reviewer)
    term.save()
    # A term reviewed before the field existed keeps its review: the fingerprint of a term
    # without a technical definition is what it always was.
    old = [str(getattr(term, name) or "") for name in REVIEWED_FIELDS]
    assert term.reviewed_fingerprint == hashlib.sha256(json.dumps(old).encode()).hexdigest()
    assert term.review_current
    term.pronunciation = "PLAYN"
    term.save()
    assert term.review_current, "a respelling is not medical content"
    term.technical_definition = "A claim a reviewer has not seen."
    term.save()
    assert not term.review_current


def test_links_and_citations_in_the_technical_definition_count_as_the_terms(
    make_term, django_capture_on_commit_callbacks
):
    other = make_term(name="Multivesicular body", slug="multivesicular-body")
    reference = library_reference(7)
    with django_capture_on_commit_callbacks(execute=True):
        term = make_term(
            definition="Plain.",
            technical_definition="Released from a [[glossary:multivesicular-body]] [@ref7].",
        )
    assert Citation.objects.filter(object_id=term.pk, reference=reference).exists()
    assert list(mentions.mentioned_by(term, Term)) == [other]
    # A link that goes nowhere is reported like one in the full definition.
    with django_capture_on_commit_callbacks(execute=True):
        term.technical_definition = "See [[glossary:nowhere]]."
        term.save()
    term.refresh_from_db()
    assert term.broken_links == 1
    assert "[[glossary:nowhere]] goes nowhere" in term.link_warnings[0]
    assert not Citation.objects.filter(object_id=term.pk, reference=reference).exists()


def test_a_broken_link_in_the_technical_definition_stops_publishing(admin_client, make_term):
    term = make_term(status=Status.DRAFT, technical_definition="See [[glossary:nowhere]].")
    problems = review.problems(term)
    assert any("goes nowhere" in message for message in problems["technical_definition"])


# -- the recording -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("exosome.mp3", MP3, "audio/mpeg"),
        ("exosome.mp3", MP3_BARE, "audio/mpeg"),
        ("exosome.ogg", OGG, "audio/ogg"),
        ("exosome.wav", wav_bytes(), "audio/wav"),
        ("exosome.m4a", M4A, "audio/mp4"),
    ],
)
def test_recordings_of_each_format_are_accepted(name, content, mime):
    audio.validate_audio(SimpleUploadedFile(name, content))
    assert audio.content_type(name) == mime


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("exosome.mp3", b"This is text, renamed."),
        ("exosome.mp3", b"<svg onload=alert(1)>"),
        ("exosome.m4a", MP4_VIDEO),
        ("exosome.mp3", ADTS_AAC),
        ("exosome.mp3", b""),
    ],
)
def test_anything_else_is_refused_by_its_content_not_its_name(name, content):
    with pytest.raises(forms.ValidationError) as refused:
        audio.validate_audio(SimpleUploadedFile(name, content))
    assert refused.value.messages == [
        "This file is not a recording we can play to visitors: upload MP3, Ogg, WAV or M4A "
        "audio (the file's content is checked, not only its name)."
    ]


def test_a_recording_under_the_wrong_name_is_refused_with_the_fix():
    with pytest.raises(forms.ValidationError) as refused:
        audio.validate_audio(SimpleUploadedFile("exosome.wav", MP3))
    assert refused.value.messages == [
        "This file is MP3 audio but its name ends differently: rename it to end in .mp3 and "
        "upload it again."
    ]


def test_an_oversized_recording_is_refused_with_the_limit(settings):
    settings.EXOSITE_AUDIO_MAX_BYTES = 1_048_576
    big = SimpleUploadedFile("exosome.wav", wav_bytes(seconds=70))  # 1.1 MB
    with pytest.raises(forms.ValidationError) as refused:
        audio.validate_audio(big)
    assert refused.value.messages == [
        "The recording is 1.1 MB; the limit is 1.0 MB. A pronunciation needs only a few "
        "seconds: trim it, or export it as MP3."
    ]


def upload(admin_client, term, recording):
    """Save `term` through its admin change form with `recording` attached."""
    url = reverse("admin:glossary_term_change", args=[term.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or isinstance(field, forms.FileField):
            continue
        if name == "tags" and not isinstance(value, str):
            value = ", ".join(tag.name for tag in value)
        elif isinstance(value, (list, tuple)):
            value = [str(getattr(v, "pk", v)) for v in value]
        data[name] = "on" if value is True else value
    data["pronunciation_audio"] = recording
    return admin_client.post(url, data)


def test_the_admin_refuses_a_wrong_file_next_to_the_field(admin_client, make_term):
    term = make_term(status=Status.DRAFT)
    response = upload(admin_client, term, SimpleUploadedFile("say.mp3", b"not audio at all"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["pronunciation_audio"]
    assert errors == [
        "This file is not a recording we can play to visitors: upload MP3, Ogg, WAV or M4A "
        "audio (the file's content is checked, not only its name)."
    ]
    term.refresh_from_db()
    assert not term.pronunciation_audio


def test_the_admin_refuses_an_oversized_file(admin_client, make_term, settings):
    settings.EXOSITE_AUDIO_MAX_BYTES = 1000
    term = make_term(status=Status.DRAFT)
    response = upload(admin_client, term, SimpleUploadedFile("say.wav", wav_bytes()))
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["pronunciation_audio"]
    assert error.startswith("The recording is 0.0 MB; the limit is 0.0 MB.")


def test_the_admin_stores_a_good_recording_and_saves_again_without_it(admin_client, make_term):
    term = make_term(status=Status.DRAFT)
    response = upload(admin_client, term, SimpleUploadedFile("say.wav", wav_bytes()))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.pronunciation_audio.name.startswith("glossary/pronunciation/say")
    assert term.audio_type == "audio/wav"
    # Saved again without a new file: the stored one is kept (and not checked again).
    url = reverse("admin:glossary_term_change", args=[term.pk])
    form = admin_client.get(url).context["adminform"].form
    assert form["pronunciation_audio"].value() == term.pronunciation_audio


def test_backups_list_the_recording_as_media(make_term, tmp_path):
    from exosite.management.commands.backup import referenced_media

    term = make_term()
    term.pronunciation_audio = SimpleUploadedFile("say.ogg", OGG)
    term.save()
    assert term.pronunciation_audio.name in referenced_media([Term])


# -- the term page -----------------------------------------------------------------------


def test_the_plain_definition_is_shown_first(client, exosome):
    response = client.get(exosome.get_absolute_url())
    assert shown(response, "plain")
    assert not shown(response, "technical")
    assertContains(response, PLAIN)  # both in the page: the script switches in place
    assertContains(response, "<strong>endosomal</strong>", html=True)
    assertContains(
        response,
        '<div class="reading-level" role="group" aria-labelledby="reading-level-label">'
        '<span id="reading-level-label">Reading level:</span>'
        '<a href="?level=plain" data-level-choice="plain" aria-current="true">Plain language</a>'
        '<a href="?level=technical" data-level-choice="technical">Technical</a></div>',
        html=True,
    )
    assertContains(response, "js/glossary-level.js")


def test_the_technical_level_is_a_link_that_works_without_javascript(client, exosome):
    response = client.get(exosome.get_absolute_url(), {"level": "technical"})
    assert response.status_code == 200
    assert shown(response, "technical")
    assert not shown(response, "plain")
    assertContains(
        response,
        '<a href="?level=technical" data-level-choice="technical" aria-current="true">'
        "Technical</a>",
        html=True,
    )
    # The same term: one canonical address for both levels.
    assertContains(response, '<link rel="canonical" href="http://testserver/glossary/exosome/">')
    back = client.get(exosome.get_absolute_url(), {"level": "plain"})
    assert shown(back, "plain")


@pytest.mark.parametrize("asked", ["", "expert", "<script>", "TECHNICAL"])
def test_any_other_level_is_the_plain_one(client, exosome, asked):
    response = client.get(exosome.get_absolute_url(), {"level": asked})
    assert response.status_code == 200
    assert shown(response, "plain")
    assertNotContains(response, "&lt;script&gt;")


def test_a_term_without_a_technical_definition_has_no_switch(client, make_term):
    term = make_term(definition="Only plain.")
    for params in ({}, {"level": "technical"}):
        response = client.get(term.get_absolute_url(), params)
        assertContains(response, "Only plain.")
        assertNotContains(response, "reading-level")
        assertNotContains(response, "data-level")
        assertNotContains(response, "glossary-level.js")


def test_each_level_lists_its_own_references_with_ids_of_its_own(client, make_term):
    library_reference(1)
    library_reference(2)
    term = make_term(definition="Plain claim [@ref1].", technical_definition="Technical [@ref2].")
    html = client.get(term.get_absolute_url()).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique"
    plain = re.search(r'aria-labelledby="references-title">.*?</section>', html, re.S)[0]
    technical = re.search(
        r'aria-labelledby="technical-references-title">.*?</section>', html, re.S
    )[0]
    assert "10.5555/test.1" in plain and "10.5555/test.2" not in plain
    assert "10.5555/test.2" in technical and "10.5555/test.1" not in technical
    # Each text's citation leads to its own list, and back.
    assert 'id="cite-1"' in html and 'href="#ref-1"' in html and 'href="#cite-1"' in plain
    assert 'id="technical-cite-1"' in html and 'href="#technical-ref-1"' in html
    assert 'id="technical-ref-1"' in technical and 'href="#technical-cite-1"' in technical


def test_pronunciation_is_shown_under_the_name(client, exosome):
    response = client.get(exosome.get_absolute_url())
    assertContains(
        response,
        '<p class="pronunciation">Pronunciation: <span class="respelling">EK-soh-sohm</span></p>',
        html=True,
    )
    html = response.content.decode()
    assert html.index("<h1>") < html.index('class="pronunciation"') < html.index("reading-level")


def test_the_recording_plays_in_a_native_labelled_control(client, exosome):
    exosome.pronunciation_audio = SimpleUploadedFile("exosome.mp3", MP3)
    exosome.save()
    response = client.get(exosome.get_absolute_url())
    url = exosome.pronunciation_audio.url
    assertContains(
        response,
        '<p class="pronunciation-audio">'
        '<span id="pronunciation-audio-label">Hear “Exosome” said aloud</span>'
        '<audio controls preload="none" aria-labelledby="pronunciation-audio-label">'
        f'<source src="{url}" type="audio/mpeg">'
        f'<a href="{url}">Download the recording</a></audio></p>',
        html=True,
    )


def test_tooltips_keep_the_plain_short_definition(client, exosome, make_article):
    article = make_article(body="Cells release an exosome now and then.")
    response = client.get(article.get_absolute_url())
    assertContains(response, 'data-definition="A tiny parcel released by cells."')
    assertNotContains(response, "endosomal")


def test_search_finds_a_term_by_its_technical_definition(client, exosome):
    response = client.get(reverse("search"), {"q": "endosomal"})
    assertContains(response, "Exosome")


# -- structured data ---------------------------------------------------------------------


def test_structured_data_gives_the_pronunciation_as_schema_org_has_it(client, exosome):
    data = page_data(client.get(exosome.get_absolute_url()))["DefinedTerm"]
    assert data["name"] == [
        "Exosome",
        {
            "@type": "PronounceableText",
            "textValue": "Exosome",
            "phoneticText": "EK-soh-sohm",
            "speechToTextMarkup": "English respelling: syllables separated by hyphens, the "
            "stressed syllable in capitals",
            "inLanguage": "en",
        },
    ]
    assert "subjectOf" not in data
    assert data["description"] == "A tiny parcel released by cells."


def test_structured_data_gives_the_recording_as_an_audio_object(client, exosome):
    exosome.pronunciation_audio = SimpleUploadedFile("exosome.ogg", OGG)
    exosome.save()
    data = page_data(client.get(exosome.get_absolute_url()))["DefinedTerm"]
    assert data["subjectOf"] == {
        "@type": "AudioObject",
        "name": "How to say “Exosome”",
        "contentUrl": f"http://testserver{exosome.pronunciation_audio.url}",
        "encodingFormat": "audio/ogg",
        "inLanguage": "en",
    }


def test_a_term_without_them_keeps_its_plain_structured_data(client, make_term):
    term = make_term(name="Antigen")
    data = page_data(client.get(term.get_absolute_url()))["DefinedTerm"]
    assert data["name"] == "Antigen"
    assert "subjectOf" not in data


# -- cost and caching --------------------------------------------------------------------


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as done:
        assert client.get(url, params or {}).status_code == 200
    return len(done)


@pytest.mark.parametrize("level", [None, "plain", "technical"])
def test_both_levels_cost_what_a_plain_term_page_costs(
    client, make_term, django_assert_num_queries, level
):
    library_reference(1)
    library_reference(2)
    others = [make_term() for _ in range(3)]
    plain_only = make_term(definition="Plain [@ref1] [@ref2].", related=others, tags=["biology"])
    term = make_term(
        definition="Plain [@ref1].",
        technical_definition="Technical [@ref2].",
        pronunciation="TERM",
        related=others,
        tags=["biology"],
    )
    term.pronunciation_audio = SimpleUploadedFile("term.mp3", MP3)
    term.save()
    params = {"level": level} if level else {}
    # Each page once first, so that both are counted with the process's memos warm.
    queries_for(client, plain_only.get_absolute_url())
    queries_for(client, term.get_absolute_url(), params)
    expected = queries_for(client, plain_only.get_absolute_url())
    with django_assert_num_queries(expected):
        response = client.get(term.get_absolute_url(), params)
    assert response.status_code == 200


def test_a_term_without_references_costs_what_it_did(client, exosome, django_assert_num_queries):
    with django_assert_num_queries(8):  # tests/glossary/test_views.py
        client.get(exosome.get_absolute_url(), {"level": "technical"})


def test_each_level_is_a_page_the_cache_keeps_for_everyone(client, exosome, page_cache):
    url = exosome.get_absolute_url()
    for params in ({}, {"level": "technical"}):
        first, second = client.get(url, params), client.get(url, params)
        assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
        assert "Set-Cookie" not in second and not second.cookies
    assert shown(client.get(url, {"level": "technical"}), "technical")
    assert shown(client.get(url), "plain")


def test_an_edit_to_the_technical_definition_shows_at_once(client, exosome, page_cache):
    url = exosome.get_absolute_url()
    client.get(url, {"level": "technical"})
    exosome.technical_definition = "A revised technical text."
    exosome.save()
    response = client.get(url, {"level": "technical"})
    assert response["X-Cache"] == "miss"
    assertContains(response, "A revised technical text.")


def test_both_levels_are_valid_html(client, exosome, tmp_path):
    from tests.site.test_html_validity import vnu_errors

    library_reference(1)
    exosome.definition = "Plain claim [@ref1]."
    exosome.technical_definition = "Technical claim [@ref1]."
    exosome.pronunciation_audio = SimpleUploadedFile("exosome.m4a", M4A)
    exosome.save()
    files = []
    for level in ("plain", "technical"):
        path = tmp_path / f"{level}.html"
        path.write_bytes(client.get(exosome.get_absolute_url(), {"level": level}).content)
        files.append(path)
    assert vnu_errors(files) == []
