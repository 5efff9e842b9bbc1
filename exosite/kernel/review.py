"""The editorial policy made real: what an item needs before it is published.

An article, glossary term or FAQ entry (a `Reviewed` model) is published only when
- a named reviewer has recorded a review of this very version (exosite.models.Reviewed),
- none of its cross-links goes nowhere, and
- every citation names a reference in the library.
Every way of publishing asks `problems()` first: the status field and "Publish" in the
admin, a scheduled date (a scheduled item is published, only later), and an answer sent on
from a visitor's question (which goes to review like any entry). Someone holding the
kind's "publish without review" permission may publish without a current review, giving a
reason that is kept with the item and in its history; broken links and citations are
never waived.
"""

from django.utils.text import Truncator

from exosite.models import Reviewed, Status

from . import kinds, linking
from .markdown import MarkdownLimitError, render_markdown

REVIEW = "review"  # the key under which review problems are listed


def is_reviewed(obj_or_model):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return issubclass(model, Reviewed)


def review_would_be_current(obj):
    """Whether `obj`'s review covers its text as it is now (unsaved edits included): a
    review recorded in this save counts."""
    if not (obj.reviewer_id and obj.reviewed_at):
        return False
    if getattr(obj, "_review_recorded", False):
        return True
    loaded = obj._loaded_review or (None, None, None)
    if obj.reviewer_id != loaded[0] or obj.reviewed_at != loaded[1]:
        return True
    return obj.reviewed_fingerprint == obj.content_fingerprint()


def problems(obj, link_options=None, form=None):
    """{field name: [problem, ...]} that stop `obj` being published as it is now (unsaved
    edits included); empty when it may be. Review problems are under the "reviewed_at"
    field (and REVIEW lists which keys an override may waive)."""
    found = {}
    if not is_reviewed(obj):
        return found
    kind = kinds.of(obj)
    if not obj.reviewer_id:
        found.setdefault("reviewer", []).append(
            "Choose the reviewer who checked this version: nothing is published unreviewed."
        )
    elif not obj.reviewed_at:
        found.setdefault("reviewed_at", []).append("Give the date of the review.")
    elif not review_would_be_current(obj):
        found.setdefault("reviewed_at", []).append(
            f"The text has changed since the review of {obj.reviewed_at:%-d %B %Y}: a "
            "reviewer records a new review of this version (tick “Record a review of this "
            "version”) before it is published."
        )
    for source in obj.markdown_fields:
        try:
            html = render_markdown(getattr(obj, source))
        except MarkdownLimitError as error:
            found.setdefault(source, []).append(str(error))
            continue
        options = {**linking.options_for(obj), **(link_options or {})}
        rendered = linking.link(html, **options, scope="all")
        if rendered.broken_links or rendered.citation_problems:
            found.setdefault(source, []).extend(rendered.warnings)
    if hasattr(kind, "publish_problems"):
        for field, messages in kind.publish_problems(obj, form=form).items():
            found.setdefault(field, []).extend(messages)
    return found


def review_problem_fields(found):
    """The fields of `found` an override may waive (the review, not links or citations)."""
    return {"reviewer", "reviewed_at"} & set(found)


def override(obj, reason):
    """Publish `obj` without a current review: keep the reason with it and in its history."""
    obj.unreviewed_reason = reason  # in full, on the item and in its revision
    # The history's change-reason column holds 100 characters (simple-history).
    obj._change_reason = Truncator(f"Published without a current review: {reason}").chars(100)


def state(obj):
    """What the admin says about `obj`'s review, in one sentence."""
    if obj.review_current and obj.reviewer_id:
        return f"Reviewed in this version by {obj.reviewer} on {obj.reviewed_at:%-d %B %Y}."
    if obj.reviewer_id and obj.reviewed_at:
        text = (
            f"Not reviewed in this version: the text changed after the review by "
            f"{obj.reviewer} on {obj.reviewed_at:%-d %B %Y}."
        )
    else:
        text = "Not reviewed yet."
    if obj.unreviewed_reason and obj.status == Status.PUBLISHED:
        text += f" Published without review because: {obj.unreviewed_reason}"
    return text
