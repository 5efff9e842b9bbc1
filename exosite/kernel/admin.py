"""Admin pieces shared by the content kinds: the editorial workflow.

Articles, glossary terms and FAQ entries share: publishing actions guarded by a publish
permission, protection against lost updates, revisions (django-simple-history) with a
readable comparison of any two, previews of unsaved changes, share links for reviewers,
a live Markdown preview, and warnings about broken links and citations after each save.
"""

import difflib
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from exosite.models import Status

from . import citations, kinds, linking, mentions, preview, review, revisions
from .markdown import MarkdownLimitError, render_markdown
from .translations import TranslationAdminMixin

admin.site.site_header = "Exosite administration"
admin.site.site_title = "Exosite admin"
admin.site.index_title = "Content and visitor questions"


def validate_markdown(text):
    """Refuse Markdown too large, too deeply nested or too slow to format, with the reason
    for the editor. The render is kept (render_markdown's cache), so the save that follows
    does not repeat it."""
    try:
        render_markdown(text)
    except MarkdownLimitError as error:
        raise ValidationError(str(error)) from None


class PublishableForm(forms.ModelForm):
    """Refuses a save made from an older version than the one now stored, and a publish
    that the editorial policy does not allow (exosite.kernel.review), with each reason next
    to its field before anything is saved."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    record_review = forms.BooleanField(
        label="Record a review of this version",
        required=False,
        help_text="Tick when the reviewer named above has checked the text as it is in this "
        "form. The review date is today unless you change it.",
    )
    publish_unreviewed = forms.BooleanField(
        label="Publish without a current review",
        required=False,
        help_text="Only when it cannot wait for a review. Give the reason below: it is kept "
        "with the item and in its history, and the page says it is not yet reviewed.",
    )
    unreviewed_reason_text = forms.CharField(
        label="Why it is published without review",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Set per request by PublishableAdmin.get_form.
    can_publish = True
    can_review = False
    can_publish_unreviewed = False

    revert_tags = None  # reverting to a revision: its tags (PublishableAdmin.get_form)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The stored version when the form was shown (also when reverting to a
            # revision, whose own edit_version is older).
            self.fields["loaded_version"].initial = self.current_version()
        if self.revert_tags is not None and "tags" in self.fields:
            # Tag-like objects, as the tag field's widget and change check expect.
            self.initial["tags"] = [SimpleNamespace(name=name) for name in self.revert_tags]
        obj = self.instance
        if obj.pk and review.is_reviewed(obj) and obj._loaded_review is None:
            # Reverting: the item is built from the revision, not loaded. Its review is the
            # revision's, as it was (current only if that very text was reviewed): a
            # revert records no review, only the reviewer changing the fields does.
            obj._loaded_review = (obj.reviewer_id, obj.reviewed_at, obj.next_review_at)

    def current_version(self, lock=False):
        rows = type(self.instance).objects.filter(pk=self.instance.pk)
        # Inside the save's transaction, lock the row until the save commits, so two
        # saves cannot both pass this check (previews validate outside a transaction).
        if lock and transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        return rows.values_list("edit_version", flat=True).first()

    def clean(self):
        data = super().clean()
        self.check_markdown(data)
        if self.instance.pk:
            loaded = data.get("loaded_version")
            current = self.current_version(lock=True)
            if loaded is not None and current is not None and loaded != current:
                # A second, deliberate save replaces the newer version.
                self.data = self.data.copy()
                self.data["loaded_version"] = current
                raise ValidationError(self.conflict_message())
        was_published = self.instance.pk and self.initial.get("status") == Status.PUBLISHED
        if data.get("status") == Status.PUBLISHED and not was_published and not self.can_publish:
            self.add_error(
                "status",
                "You may not publish this yourself: choose “In review” so that an editor "
                "who may publish can check it.",
            )
        if data.get("record_review") and not self.can_review:
            self.add_error("record_review", "Only a reviewer may record a review.")
        if data.get("publish_unreviewed"):
            if not self.can_publish_unreviewed:
                self.add_error("publish_unreviewed", "You may not publish without a review.")
            elif not data.get("unreviewed_reason_text", "").strip():
                self.add_error(
                    "unreviewed_reason_text",
                    "Say why this is published before a review: the reason is kept.",
                )
        return data

    def _post_clean(self):
        """Once the edits are on the instance: record a review if asked, then check the
        editorial gate when the save would publish (exosite.kernel.review)."""
        super()._post_clean()
        obj = self.instance
        if not review.is_reviewed(obj):
            return
        data = getattr(self, "cleaned_data", {})
        if data.get("record_review") and self.can_review:
            if obj.reviewer_id is None:
                self.add_error("reviewer", "Choose the reviewer whose review you record.")
            else:
                changed = "reviewed_at" in self.changed_data and obj.reviewed_at
                obj.record_review(obj.reviewer, on=obj.reviewed_at if changed else None)
        self.check_people(data)
        if obj.status != Status.PUBLISHED or self.has_error("status"):
            return
        try:
            found = review.problems(obj, self.unsaved_link_options(), form=self)
        except MarkdownLimitError:
            return  # reported next to the field by check_markdown
        waive = data.get("publish_unreviewed") and self.can_publish_unreviewed
        reason = data.get("unreviewed_reason_text", "").strip()
        if waive and reason:
            if review.review_problem_fields(found):
                review.override(obj, reason)
            for field in review.review_problem_fields(found):
                found.pop(field)
        for field, problems in found.items():
            target = field if field in self.fields else None
            for message in problems:
                if target is None:
                    message = f"Not published: {message}"
                self.add_error(target, message)

    def check_people(self, data):
        """Hook: a kind's own checks on who wrote and reviewed it (articles)."""

    def unsaved_link_options(self):
        """Hook: linking options from what is edited with the item on this page (an
        article's figures), so the gate checks the links as they will be."""
        return {}

    def check_markdown(self, data):
        """Markdown over the limits is refused next to its field; the text stays."""
        for field in self._meta.model.markdown_fields:
            if data.get(field):
                try:
                    validate_markdown(data[field])
                except ValidationError as error:
                    self.add_error(field, error)

    def conflict_message(self):
        obj = self.instance
        meta = obj._meta
        latest = obj.history.first() if hasattr(obj, "history") else None
        who = f" by {latest.history_user}" if latest and latest.history_user else ""
        when = f" at {timezone.localtime(latest.history_date):%H:%M}" if latest else ""
        change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        history_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
        return format_html(
            "Someone saved this {} after you opened it{}{}. Your changes are not saved yet "
            'and are still below. Open <a href="{}" target="_blank" rel="noopener">the newer '
            'version</a> (or <a href="{}" target="_blank" rel="noopener">its history</a>) to '
            "compare; to replace it with yours, save again.",
            meta.verbose_name,
            who,
            when,
            change_url,
            history_url,
        )


class ProblemsFilter(admin.SimpleListFilter):
    title = "problems"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return (("links", "Broken cross-links"), ("citations", "Citation problems"))

    def queryset(self, request, queryset):
        if self.value() == "links":
            return queryset.filter(broken_links__gt=0)
        if self.value() == "citations":
            return queryset.filter(citation_problems__gt=0)
        return queryset


class PublishableAdmin(TranslationAdminMixin, SimpleHistoryAdmin):
    """Common admin behaviour for articles, glossary terms and FAQ entries (and their
    translations: exosite.kernel.translations)."""

    form = PublishableForm
    list_filter = ("status", ProblemsFilter, "published_at", "tags")
    date_hierarchy = "published_at"
    list_per_page = 50
    readonly_fields = ("created_at", "updated_at", "problems")
    actions = ("publish", "unpublish", "send_for_review", "share")
    change_form_template = "admin/exosite/change_form.html"
    object_history_list_template = "admin/exosite/object_history_list.html"
    review_fieldset = (
        "Review",
        {"fields": ("reviewer", "reviewed_at", "record_review", "next_review_at", "review_state")},
    )
    publishing_fieldset = (
        "Publishing",
        {
            "fields": (
                "status",
                "published_at",
                "publish_unreviewed",
                "unreviewed_reason_text",
                "tags",
                "seo_description",
                "problems",
                "created_at",
                "updated_at",
                "loaded_version",
            )
        },
    )

    class Media:
        js = ("js/admin-preview.js", "js/admin-a11y.js")
        css = {"all": ("css/admin.css",)}

    # Permissions ----------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        meta = self.model._meta
        return request.user.has_perm(f"{meta.app_label}.publish_{meta.model_name}")

    def has_review_permission(self, request, obj=None):
        meta = self.model._meta
        return request.user.has_perm(f"{meta.app_label}.review_{meta.model_name}")

    def has_publish_unreviewed_permission(self, request, obj=None):
        meta = self.model._meta
        return request.user.has_perm(f"{meta.app_label}.publish_unreviewed_{meta.model_name}")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        snapshot = getattr(request, "revert_snapshot", None)
        if snapshot and "Tags" in snapshot and "tags" in form.base_fields:
            form = type(form.__name__, (form,), {"revert_tags": snapshot["Tags"]})
        form.can_publish = self.has_publish_permission(request)
        form.can_review = self.has_review_permission(request)
        form.can_publish_unreviewed = self.has_publish_unreviewed_permission(request)
        return form

    def get_fieldsets(self, request, obj=None):
        """The review and override fields only for those who may use them."""
        hidden = set()
        if not review.is_reviewed(self.model) or not self.has_publish_unreviewed_permission(
            request
        ):
            hidden |= {"publish_unreviewed", "unreviewed_reason_text"}
        if not self.has_review_permission(request):
            hidden.add("record_review")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if review.is_reviewed(self.model):
            fields.append("review_state")
            if not self.has_review_permission(request):
                fields += ["reviewer", "reviewed_at"]
        return fields

    @admin.display(description="Review")
    def review_state(self, obj):
        if obj is None or obj.pk is None:
            return "Not reviewed yet."
        return review.state(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    # Saving ---------------------------------------------------------------------------

    def save_related(self, request, form, formsets, change):
        """Once the item and what is edited with it (references, figures) are saved, link
        it (once: see exosite.kernel.mentions) and tell the editor what it found wrong
        with links and citations, from what was stored (the save itself stands: nothing
        they typed is lost)."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        self.after_save(request, obj)

    def after_save(self, request, obj):
        """Link the saved item, keep what was edited with it in its revision, and say
        what is wrong with its links and citations."""
        rendered = mentions.relink(obj)
        kind = kinds.of(obj)
        references = citations.records(rendered.references)
        revisions.record_related(obj, kind.revision_related(obj, references))
        for warning in obj.link_warnings:
            self.message_user(request, warning, messages.WARNING)

    # List columns ---------------------------------------------------------------------

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description="Live", boolean=True)
    def is_live(self, obj):
        return obj.is_published

    @admin.display(description="Link and citation problems")
    def problems(self, obj):
        if not obj.link_warnings:
            return "None found."
        return format_html(
            "<ul>{}</ul>",
            format_html("".join("<li>{}</li>" for _ in obj.link_warnings), *obj.link_warnings),
        )

    # Actions --------------------------------------------------------------------------

    def _set_status(self, request, queryset, status, done):
        count = 0
        for obj in queryset:
            obj.status = status
            if status == Status.PUBLISHED and (found := review.problems(obj)):
                reasons = " ".join(message for messages in found.values() for message in messages)
                self.message_user(
                    request,
                    f"“{obj}” was not published: {reasons} Open it to fix this"
                    + (
                        ", or to publish it without review giving a reason."
                        if self.has_publish_unreviewed_permission(request)
                        and review.review_problem_fields(found) == set(found)
                        else "."
                    ),
                    messages.ERROR,
                )
                continue
            try:
                obj.save()
            except MarkdownLimitError as error:
                # Text stored before the limits, or by code: say which, change the rest.
                self.message_user(
                    request, f"“{obj}” was not changed: {error} Edit it first.", messages.ERROR
                )
                continue
            self.after_save(request, obj)
            count += 1
        self.message_user(request, f"{count} {done}.")

    @admin.action(
        description="Publish (now, or at their publication date)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "unpublished")

    @admin.action(description="Send for review", permissions=["change"])
    def send_for_review(self, request, queryset):
        self._set_status(
            request, queryset.exclude(status=Status.PUBLISHED), Status.REVIEW, "sent for review"
        )

    @admin.action(description="Make a preview link for a reviewer", permissions=["change"])
    def share(self, request, queryset):
        for obj in queryset:
            self._share(request, obj)

    def _share(self, request, obj):
        link = preview.create_share_link(obj, request.user)
        url = request.build_absolute_uri(preview.share_path(link))
        self.message_user(
            request,
            format_html(
                "Preview link for “{}” (works for {} days, until you revoke it under "
                'Share links): <a href="{}">{}</a>',
                obj,
                preview.expires_in(link).days or 1,
                url,
                url,
            ),
        )

    # Revert: the whole item -----------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a revision: its own fields (simple-history), and its tags and figures
        from the revision's snapshot; the references follow the text that cites them."""
        record = self.model.history.filter(
            **{self.model._meta.pk.attname: object_id, "history_id": version_id}
        ).first()
        request.revert_snapshot = getattr(record, "related", None) or {}
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302 and record is not None:
            obj = self.model.objects.get(pk=record.instance.pk)
            kinds.of(obj).restore_related(obj, request.revert_snapshot)
            self.after_save(request, obj)
        return response

    # Extra views: preview, share, live Markdown, compare -------------------------------

    def get_urls(self):
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{name}_preview",
            ),
            path(
                "<path:object_id>/share/",
                self.admin_site.admin_view(self.share_view),
                name=f"{name}_share",
            ),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name=f"{name}_markdown_preview",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{name}_compare",
            ),
            *super().get_urls(),
        ]

    def _object_or_403(self, request, object_id, permission="change"):
        obj = get_object_or_404(self.model, pk=object_id)
        allowed = getattr(self, f"has_{permission}_permission")(request, obj)
        if not allowed:
            raise PermissionDenied
        return obj

    def preview_view(self, request, object_id):
        """GET: the saved item. POST (the change form's Preview button): the unsaved
        changes, validated like a save but stored nowhere."""
        obj = self._object_or_403(request, object_id, "view")
        if request.method != "POST":
            return preview.render_preview(request, obj, banner="saved")
        form = self.get_form(request, obj, change=True)(request.POST, request.FILES, instance=obj)
        form.fields["loaded_version"].required = False
        if not form.is_valid() and any(f != "__all__" for f in form.errors):
            return TemplateResponse(
                request,
                "admin/exosite/preview_errors.html",
                {"form": form, "opts": self.model._meta, "original": obj},
                status=400,
            )
        unsaved = form.instance  # construct_instance has applied the edits in memory
        unsaved.render_markdown_fields()
        return preview.render_preview(request, unsaved, banner="unsaved")

    def share_view(self, request, object_id):
        """POST (from the change form, in a new tab): make a link and show it."""
        obj = self._object_or_403(request, object_id)
        if request.method != "POST":
            meta = self.model._meta
            return redirect(f"admin:{meta.app_label}_{meta.model_name}_change", obj.pk)
        link = preview.create_share_link(obj, request.user)
        return TemplateResponse(
            request,
            "admin/exosite/share_link.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": obj,
                "link": link,
                "url": request.build_absolute_uri(preview.share_path(link)),
                "title": f"Preview link for “{obj}”",
            },
        )

    def markdown_preview_view(self, request):
        """The live preview beside the editor: the text through the same pipeline."""
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        kind = kinds.for_model(self.model)
        options = {"cites": bool(kind and kind.cites)}
        if "has_figures" in request.POST:
            options["figures"] = figure_placeholders(request.POST.getlist("figures"))
        try:
            html = render_markdown(request.POST.get("text", ""))
        except MarkdownLimitError as error:
            # 200, so that the preview shows the message (it ignores failed requests).
            return JsonResponse({"html": "", "warnings": [str(error)], "error": str(error)})
        rendered = linking.link(html, **options)
        references = [
            f"{reference.citation} [@{reference.key}]"
            for reference in citations.records(rendered.references)
        ]
        return JsonResponse(
            {"html": rendered.html, "warnings": rendered.warnings, "references": references}
        )

    def compare_view(self, request, object_id):
        """A readable, field-by-field difference between two revisions."""
        obj = self._object_or_403(request, object_id, "view")
        history = obj.history.all()
        try:
            older, newer = sorted(
                (history.get(pk=request.GET["a"]), history.get(pk=request.GET["b"])),
                key=lambda record: record.history_date,
            )
        except (KeyError, ValueError, obj.history.model.DoesNotExist):
            messages.error(request, "Choose two revisions to compare.")
            meta = self.model._meta
            return redirect(f"admin:{meta.app_label}_{meta.model_name}_history", obj.pk)
        return TemplateResponse(
            request,
            "admin/exosite/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "object": obj,
                "older": older,
                "newer": newer,
                "changes": revision_diff(older, newer),
                "title": f"Compare revisions of “{obj}”",
            },
        )


def figure_placeholders(keys):
    """What the live preview and the publish check put where [[figure:key]] stands, for
    the figures on the form (not saved yet)."""
    return {
        key: str(
            format_html(
                '<figure class="figure-placeholder"><p>Figure “{}” appears here.</p></figure>',
                key,
            )
        )
        for key in keys[:200]
        if key
    }


IGNORED_IN_DIFF = {"id", "edit_version", "updated_at", "created_at", "broken_links"}


def revision_diff(older, newer):
    """[(field label, html table)] for each field that differs between two revisions."""
    changes = []
    differ = difflib.HtmlDiff(wrapcolumn=70)
    for field in newer.instance._meta.concrete_fields:
        if field.name in IGNORED_IN_DIFF or not field.editable:
            continue
        before = field.value_to_string(older.instance) if older else ""
        after = field.value_to_string(newer.instance)
        if before == after:
            continue
        table = differ.make_table(
            before.splitlines() or [""],
            after.splitlines() or [""],
            fromdesc="Older",
            todesc="Newer",
            context=True,
            numlines=2,
        )
        changes.append((field.verbose_name.capitalize(), table))
    before_related = revisions.lines(getattr(older, "related", None))
    after_related = revisions.lines(getattr(newer, "related", None))
    for label in sorted(before_related.keys() | after_related.keys()):
        before, after = before_related.get(label, ""), after_related.get(label, "")
        if before == after:
            continue
        table = differ.make_table(
            before.splitlines() or [""],
            after.splitlines() or [""],
            fromdesc="Older",
            todesc="Newer",
            context=True,
            numlines=2,
        )
        changes.append((label, table))
    return changes
