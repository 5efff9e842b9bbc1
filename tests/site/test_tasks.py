"""The task worker (exosite/kernel/tasks.py, django-tasks-db): production queues background
work in the database and `manage.py db_worker` runs it, with retries and backoff; pages are
right while it waits; the admin lists what is queued, running and failed, with the error.

These tests switch to the database backend (`task_worker` in tests/conftest.py) and run the
real worker command in batch mode; every other test runs tasks at once, as `make run` does.
"""

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import TaskResultStatus, task
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains
from taggit.models import Tag

from articles.models import Article, Figure
from exosite.kernel import mentions
from exosite.kernel.tasks import refresh_mentions, retry
from exosite.models import Mention
from exosite.search.tasks import reindex_items
from glossary.models import Term

pytestmark = pytest.mark.django_db

READY, FAILED = TaskResultStatus.READY, TaskResultStatus.FAILED
SUCCESSFUL = TaskResultStatus.SUCCESSFUL

# Tasks for these tests: module-level, so that the worker finds them by their path.
RUNS = Counter()


@task
@retry(attempts=3, delay=timedelta(seconds=10))
def flaky(key: str, failures: int) -> str:
    RUNS[key] += 1
    if RUNS[key] <= failures:
        raise ConnectionError(f"the service is down ({key}, run {RUNS[key]})")
    return f"done on run {RUNS[key]}"


@task
@retry(attempts=2, delay=timedelta(seconds=5))
def always_fails(key: str) -> None:
    RUNS[key] += 1
    raise ValueError(f"no such thing as {key!r}")


@task
def fails_once_without_retries() -> None:
    raise RuntimeError("not marked for retries")


def time_passes(rows):
    """Make the retries of `rows` due now (as if their delay had passed)."""
    DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def delay_of(row):
    return (row.run_after - row.started_at).total_seconds()


# Settings -------------------------------------------------------------------------------


def backend_for(env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EXOSITE_"))}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.TASKS['default']['BACKEND'])",
        ],
        cwd=django_settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "exosite.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (result.stdout.strip() or result.stderr.strip().splitlines()[-1]), result.returncode


def test_production_queues_tasks_in_the_database_and_development_runs_them_at_once():
    production = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50}
    assert backend_for(production) == ("django_tasks_db.DatabaseBackend", 0)
    assert backend_for({"DJANGO_DEBUG": "1"}) == (
        "django.tasks.backends.immediate.ImmediateBackend",
        0,
    )
    # Either way round by EXOSITE_TASK_BACKEND; anything else refuses to start.
    assert backend_for({"DJANGO_DEBUG": "1", "EXOSITE_TASK_BACKEND": "database"})[0] == (
        "django_tasks_db.DatabaseBackend"
    )
    assert backend_for({**production, "EXOSITE_TASK_BACKEND": "immediate"})[0] == (
        "django.tasks.backends.immediate.ImmediateBackend"
    )
    message, code = backend_for({"DJANGO_DEBUG": "1", "EXOSITE_TASK_BACKEND": "celery"})
    assert code != 0
    assert "EXOSITE_TASK_BACKEND='celery': use one of database, immediate." in message


# The worker, retries and backoff ----------------------------------------------------------


def test_the_worker_runs_what_was_queued(task_worker):
    RUNS.clear()
    result = flaky.enqueue("once", 0)
    assert result.status == READY
    assert RUNS["once"] == 0  # nothing runs in the process that asked
    [row] = task_worker()
    assert row.status == SUCCESSFUL
    assert row.return_value == "done on run 1"
    assert result.task.get_result(result.id).status == SUCCESSFUL


def test_a_task_failing_twice_is_retried_with_growing_delays_then_succeeds(task_worker):
    RUNS.clear()
    flaky.enqueue("twice", 2)
    [row] = task_worker()
    # Failed once: back in the queue on the same row, 10 s later, with its error kept.
    assert row.status == READY
    assert len(row.worker_ids) == 1
    assert row.run_after > timezone.now()
    assert delay_of(row) == pytest.approx(10, abs=2)
    assert "ConnectionError: the service is down (twice, run 1)" in row.traceback
    assert task_worker() == [row]  # not due yet: the batch leaves it alone
    assert RUNS["twice"] == 1

    time_passes([row])
    [row] = task_worker()
    assert row.status == READY
    assert len(row.worker_ids) == 2
    assert delay_of(row) == pytest.approx(20, abs=2)  # the delay doubles
    assert "run 2" in row.traceback

    time_passes([row])
    [row] = task_worker()
    assert row.status == SUCCESSFUL
    assert row.return_value == "done on run 3"
    assert len(row.worker_ids) == 3
    assert row.traceback == ""  # the error of an earlier attempt is gone with success
    assert RUNS["twice"] == 3


def test_a_task_that_always_fails_stops_after_its_attempts_with_its_error(task_worker):
    RUNS.clear()
    always_fails.enqueue("unicorn")
    [row] = task_worker()
    assert row.status == READY
    time_passes([row])
    [row] = task_worker()
    assert row.status == FAILED  # two attempts, as marked: no third
    assert row.exception_class_path == "builtins.ValueError"
    assert "no such thing as 'unicorn'" in row.traceback
    time_passes([row])
    assert task_worker()[0].status == FAILED
    assert RUNS["unicorn"] == 2


def test_a_task_without_retry_fails_once(task_worker):
    fails_once_without_retries.enqueue()
    [row] = task_worker()
    assert row.status == FAILED
    assert len(row.worker_ids) == 1
    assert "not marked for retries" in row.traceback


def test_retries_need_the_worker_the_immediate_backend_runs_a_task_once():
    RUNS.clear()
    result = flaky.enqueue("immediate", 1)
    assert result.status == FAILED
    assert RUNS["immediate"] == 1


# The admin ------------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edith", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def faq_staff(db):
    user = User.objects.create_user("fred", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="FAQ staff"))
    return user


def test_the_admin_lists_queued_running_and_failed_tasks_with_the_error(admin_client, task_worker):
    RUNS.clear()
    always_fails.enqueue("unicorn")
    [failed] = task_worker()
    time_passes([failed])
    task_worker()
    retrying = flaky.enqueue("admin", 5)
    task_worker()
    queued = flaky.enqueue("later", 0)
    running = flaky.enqueue("running", 0)
    DBTaskResult.objects.filter(pk=running.id).update(status=TaskResultStatus.RUNNING)

    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    assertContains(response, "always_fails(&#x27;unicorn&#x27;)")
    assertContains(response, '<td class="field-state">Failed</td>', html=True)
    assertContains(response, "ValueError: no such thing as &#x27;unicorn&#x27;")
    assertContains(response, "2 of 2")
    assertContains(response, "Failed, retrying after")
    assertContains(response, "ConnectionError: the service is down (admin, run 1)")
    assertContains(response, '<td class="field-state">Queued</td>', html=True)
    assertContains(response, '<td class="field-state">Running</td>', html=True)
    assert {str(row.pk) for row in response.context["cl"].result_list} == {
        str(DBTaskResult.objects.get(task_path__endswith="always_fails").pk),
        retrying.id,
        queued.id,
        running.id,
    }
    # Filtered to the failures, as someone looking for trouble would.
    failures = admin_client.get(url, {"status__exact": "FAILED"})
    assert [row.task_name for row in failures.context["cl"].result_list] == ["always_fails"]
    # A task's own page shows the whole traceback, and nothing can be changed there.
    detail = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])
    )
    assertContains(detail, "Traceback (most recent call last)")
    assertNotContains(detail, 'name="_save"')


def test_editors_may_look_at_the_tasks_and_nobody_may_change_them(
    client, editor, faq_staff, task_worker
):
    RUNS.clear()
    always_fails.enqueue("x")
    [row] = task_worker()
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    change = reverse("admin:django_tasks_database_dbtaskresult_change", args=[row.pk])
    delete = reverse("admin:django_tasks_database_dbtaskresult_delete", args=[row.pk])

    client.force_login(editor)
    assert client.get(changelist).status_code == 200
    assertContains(client.get(reverse("admin:index")), changelist)
    assert client.get(change).status_code == 200
    assert client.post(change, {"status": "SUCCESSFUL"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_add")).status_code == 403
    assert DBTaskResult.objects.get(pk=row.pk).status == READY

    client.force_login(faq_staff)
    assert client.get(changelist).status_code == 403
    assertNotContains(client.get(reverse("admin:index")), changelist)


# Pages while tasks wait -----------------------------------------------------------------


def test_pages_are_right_while_relinking_waits_and_backlinks_follow_the_worker(
    client, make_article, make_term, task_worker, page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        vesicle = make_term(name="Vesicle", slug="vesicle")
        article = make_article(
            title="Budding at the membrane", body="Extracellular vesicles bud from the membrane."
        )
    task_worker()
    assert [t.slug for t in mentions.mentioned_by(article, Term)] == ["vesicle"]
    assertContains(client.get(vesicle.get_absolute_url()), "Budding at the membrane")

    # An editor adds a longer term: the longest match now links the phrase to it.
    with django_capture_on_commit_callbacks(execute=True):
        ev = make_term(name="Extracellular vesicle", slug="ev")
    # Queued: re-link what contains the term's names (and what links to its address).
    waiting = DBTaskResult.objects.filter(status=READY)
    assert {row.task_path for row in waiting} == {"exosite.kernel.tasks.refresh_mentions"}
    [queued] = [row for row in waiting if "Extracellular vesicle" in row.args_kwargs["args"][0]]

    # The worker has not run. The article page is right already: linked from the cache
    # keyed by the glossary's version, and its list of terms is read from those links.
    page = client.get(article.get_absolute_url())
    assert page["X-Cache"] == "miss"
    assertContains(page, 'href="/glossary/ev/"')
    assertNotContains(page, 'href="/glossary/vesicle/"')
    assert [t.slug for t in page.context["terms_used"]] == ["ev"]
    # The stored mentions (backlinks) still say what they said: shown late, never broken.
    assert [t.slug for t in mentions.mentioned_by(article, Term)] == ["vesicle"]
    assertNotContains(client.get(ev.get_absolute_url()), "Budding at the membrane")

    [done] = [row for row in task_worker() if row.pk == queued.pk]
    assert done.status == SUCCESSFUL
    assert [t.slug for t in mentions.mentioned_by(article, Term)] == ["ev"]
    # The worker's writes raise the content version: cached pages are not used again.
    backlinks = client.get(ev.get_absolute_url())
    assert backlinks["X-Cache"] == "miss"
    assertContains(backlinks, "Budding at the membrane")
    assertNotContains(client.get(vesicle.get_absolute_url()), "Budding at the membrane")


def test_a_renamed_term_is_right_on_pages_at_once_and_in_backlinks_after_the_worker(
    client, make_article, make_term, task_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        term = make_term(name="Tetraspanin", slug="tetraspanin")
        old = make_article(title="Markers", body="Tetraspanins such as CD63 mark vesicles.")
        new = make_article(title="Cargo", body="Exosomal cargo includes miRNA.")
    task_worker()
    with django_capture_on_commit_callbacks(execute=True):
        term.name = "Exosomal cargo"
        term.save()
    page = client.get(old.get_absolute_url())
    assertNotContains(page, 'href="/glossary/tetraspanin/"')
    assert list(page.context["terms_used"]) == []
    assertContains(client.get(new.get_absolute_url()), 'href="/glossary/tetraspanin/"')
    task_worker()
    term_page = client.get(term.get_absolute_url())
    assertContains(term_page, "Cargo")
    assertNotContains(term_page, "Markers")


def test_a_deleted_term_is_gone_from_backlinks_at_once(
    client, make_article, make_term, task_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        term = make_term(name="Ectosome", slug="ectosome")
        article = make_article(body="Ectosomes shed from the surface.")
    task_worker()
    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    assert not Mention.objects.filter(target_id=term.pk).exists()
    page = client.get(article.get_absolute_url())
    assertNotContains(page, "/glossary/ectosome/")
    assert DBTaskResult.objects.filter(status=READY).exists()  # the re-link, for later
    task_worker()
    assertNotContains(client.get(article.get_absolute_url()), "/glossary/ectosome/")


# Idempotent tasks -----------------------------------------------------------------------


def test_relinking_twice_does_no_harm(make_article, make_term, task_worker):
    term = make_term(name="Exosome", slug="exosome")
    article = make_article(body="An exosome is small.")
    refresh_mentions.enqueue(["Exosome"])
    refresh_mentions.enqueue(["Exosome"])
    rows = task_worker()
    assert {row.status for row in rows} == {SUCCESSFUL}

    def stored():
        return sorted(
            Mention.objects.filter(source_id=article.pk).values_list("target_type", "target_id")
        )

    first = stored()
    assert (first[0][1]) == term.pk
    refresh_mentions.call(["Exosome"])
    assert stored() == first


def test_search_reindexing_of_a_bulk_change_waits_for_the_worker(client, make_article, task_worker):
    make_article(title="Tagged article", tags=["lung"])
    lung = Tag.objects.get(name="lung")
    lung.name = "pulmonary"
    lung.save()
    [queued] = DBTaskResult.objects.filter(status=READY)
    assert queued.task_path == "exosite.search.tasks.reindex_items"
    # Until the worker runs, the item is found as it was indexed (published items only).
    assert "Tagged article" not in client.get("/search/", {"q": "pulmonary"}).content.decode()
    task_worker()
    assertContains(client.get("/search/", {"q": "pulmonary"}), "Tagged article")
    assert reindex_items.call(queued.args_kwargs["args"][0]) == 1  # again: no harm


# Image renditions -----------------------------------------------------------------------


def png(width, height):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_figure_renditions_are_made_by_the_worker_and_the_original_shows_meanwhile(
    client, make_article, task_worker
):
    article = make_article(body="Intro.\n\n[[figure:cell]]\n\nAfter.")
    figure = Figure.objects.create(
        article=article,
        key="cell",
        image=SimpleUploadedFile("cell.png", png(1000, 500)),
        alt="A cell",
    )
    assert figure.renditions == []
    assert (figure.width, figure.height) == (1000, 500)  # the space is kept at once
    html = client.get(article.get_absolute_url()).context["body"].html
    assert figure.image.url in html
    assert 'type="image/webp"' not in html

    task_worker()
    figure.refresh_from_db()
    assert [width for width, _ in figure.renditions] == [480, 960, 1000]
    assert figure.image.storage.exists(figure.renditions[0][1])
    html = client.get(article.get_absolute_url()).context["body"].html
    assert 'type="image/webp"' in html and " 960w" in html

    # A new image: the old one's renditions go at once, the new ones come with the worker.
    figure.image = SimpleUploadedFile("other.png", png(600, 300))
    figure.save()
    figure.refresh_from_db()
    assert figure.renditions == [] and figure.width == 600
    [first_task, second_task] = DBTaskResult.objects.filter(
        task_path="articles.tasks.make_figure_renditions"
    ).order_by("enqueued_at")
    task_worker()
    figure.refresh_from_db()
    assert [width for width, _ in figure.renditions] == [480, 600]
    # The first image's task, run again late, leaves the new image's renditions alone.
    from articles.tasks import make_figure_renditions

    assert make_figure_renditions.call(*first_task.args_kwargs["args"]) == []
    figure.refresh_from_db()
    assert [width for width, _ in figure.renditions] == [480, 600]


def test_lead_image_renditions_are_made_by_the_worker(client, make_article, task_worker):
    article = make_article()
    article.lead_image = SimpleUploadedFile("lead.png", png(1200, 600))
    article.lead_image_alt = "Lead"
    article.save()
    assertNotContains(client.get(article.get_absolute_url()), 'type="image/webp"')
    task_worker()
    article = Article.objects.get(pk=article.pk)
    assert [width for width, _ in article.lead_image_renditions] == [480, 960, 1200]
    assertContains(client.get(article.get_absolute_url()), 'type="image/webp"')


# A worker that died ---------------------------------------------------------------------


def test_tasks_left_running_by_a_dead_worker_are_recovered(task_worker):
    from django.core.management import call_command

    RUNS.clear()
    retried = flaky.enqueue("lost", 0)
    exhausted = always_fails.enqueue("lost")
    recent = flaky.enqueue("still running", 0)
    long_ago = timezone.now() - timedelta(hours=2)
    # As a worker killed mid-task leaves them: claimed, running, never finished.
    for result, attempts, started in ((retried, 1, long_ago), (exhausted, 2, long_ago)):
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, started_at=started, worker_ids=["dead"] * attempts
        )
    DBTaskResult.objects.filter(pk=recent.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["alive"]
    )
    call_command("recover_stalled_tasks")
    rows = {str(row.pk): row for row in DBTaskResult.objects.all()}
    assert rows[retried.id].status == READY  # attempts left: queued again, after its delay
    assert rows[retried.id].run_after > timezone.now()
    assert rows[exhausted.id].status == FAILED
    assert "WorkerLost: the worker running it since" in rows[exhausted.id].traceback
    assert rows[recent.id].status == TaskResultStatus.RUNNING  # may well be running
    time_passes([rows[retried.id]])
    task_worker()
    assert DBTaskResult.objects.get(pk=retried.id).status == SUCCESSFUL
