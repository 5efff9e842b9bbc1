"""Translations in the admin: which languages an item exists in, which are missing, and
which are out of date because the source changed after the translation was brought up to
date with it, with the source's change side by side.

`TranslationAdminMixin` is part of every content kind's admin (`PublishableAdmin`):

- a "Languages" column and "Language" / "Missing translation" filters in each list;
- a "Language and translation" section on each item: its language, the original it
  translates, and a panel listing every language with its state and a link (open the
  translation, or add it with the original's text to start from);
- `<pk>/translation/`: for a translation, the original's change since the translation was
  last brought up to date (before and after, side by side, field by field), the
  translation's own text below, and "Mark as up to date" once it says what the original
  says now.
"""

import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from exosite.models import Status

from . import languages


def states(obj):
    """[(code, name, state, item or None)] for every language: "this" (the item itself),
    "published", "draft" (any status but published), "outdated" or "missing". Uses the
    item's prefetched `translations` and selected `translation_of` when present."""
    source = obj.translation_of if obj.translation_of_id else obj
    group = {source.language: source}
    translations = source.translations.all() if source.pk else []
    for item in translations:
        group.setdefault(item.language, item)
    found = []
    for code, name in languages.names().items():
        item = group.get(code)
        if item is None:
            state = "missing"
        elif item.pk == obj.pk:
            state = "this"
        elif item.translation_of_id and _outdated(item, source):
            state = "outdated"
        elif item.status == Status.PUBLISHED:
            state = "published"
        else:
            state = "draft"
        found.append((code, name, state, item))
    return found


def _outdated(translation, source):
    return bool(translation.translated_fingerprint) and (
        source.translation_fingerprint() != translation.translated_fingerprint
    )


STATE_LABELS = {
    "this": "this item",
    "published": "published",
    "draft": "not published",
    "outdated": "out of date",
    "missing": "missing",
}


class MissingTranslationFilter(admin.SimpleListFilter):
    title = "missing translation"
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, f"No {name} translation")
            for code, name in languages.names().items()
            if code != languages.SOURCE
        ]

    def queryset(self, request, queryset):
        code = self.value()
        if code not in languages.codes():
            return queryset
        return (
            queryset.filter(translation_of__isnull=True)
            .exclude(language=code)
            .exclude(translations__language=code)
        )


class TranslationAdminMixin:
    language_fieldset = (
        "Language and translation",
        {"fields": ("language", "translation_of", "translation_state")},
    )

    def _translatable(self):
        return hasattr(self.model, "translation_of")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self._translatable() and not any(
            "language" in options.get("fields", ()) for _name, options in fieldsets
        ):
            fieldsets.append(self.language_fieldset)
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self._translatable() and "language" in form.base_fields:
            # A form sent without it (a script, an older page) keeps the item's language,
            # or the source language for a new item, instead of failing on a field the
            # editor did not touch.
            form = type(form.__name__, (form,), {"clean_language": _clean_language})
            form.base_fields["language"].required = False
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj)]
        if self._translatable():
            fields.append("translation_state")
        return fields

    def get_list_display(self, request):
        shown = tuple(super().get_list_display(request))
        return (*shown, "languages") if self._translatable() else shown

    def get_list_filter(self, request):
        filters = tuple(super().get_list_filter(request))
        if self._translatable():
            filters = (*filters, "language", MissingTranslationFilter)
        return filters

    def get_autocomplete_fields(self, request):
        fields = tuple(super().get_autocomplete_fields(request))
        if self._translatable() and self.search_fields:
            fields = (*fields, "translation_of")
        return fields

    def get_queryset(self, request):
        items = super().get_queryset(request)
        if self._translatable():
            items = items.select_related("translation_of").prefetch_related(
                "translations", "translation_of__translations"
            )
        return items

    def get_changeform_initial_data(self, request):
        """ "Add the Spanish translation" opens the add form with the original's text to
        translate from, its tags, and the language and original chosen."""
        initial = super().get_changeform_initial_data(request)
        if not self._translatable() or "translation_of" not in request.GET:
            return initial
        source = self.model.objects.filter(pk=request.GET["translation_of"]).first()
        if source is None or not self.has_view_permission(request, source):
            return initial
        for field in source._meta.concrete_fields:
            if field.editable and field.name in _copied_fields(source):
                initial.setdefault(field.name, field.value_from_object(source))
        if hasattr(source, "tags"):
            initial.setdefault("tags", [tag.name for tag in source.tags.all()])
        return initial

    # The panel and the column ------------------------------------------------------

    @admin.display(description="Languages")
    def languages(self, obj):
        return format_html_join(
            " · ",
            '<span class="translation-state translation-{}">{}: {}</span>',
            (
                (state, code.upper(), STATE_LABELS[state])
                for code, _name, state, _item in states(obj)
            ),
        )

    @admin.display(description="Translations")
    def translation_state(self, obj):
        if obj is None or obj.pk is None:
            return "Save the item first: then each language is listed here."
        rows = []
        meta = self.model._meta
        for code, name, state, item in states(obj):
            if item is None:
                source = obj.translation_of or obj
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
                action = format_html(
                    '<a href="{}?language={}&amp;translation_of={}">Add the {} translation</a>',
                    url,
                    code,
                    source.pk,
                    name,
                )
            elif state == "this":
                action = "This item."
            else:
                change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])
                action = format_html('<a href="{}">Open “{}”</a>', change, item)
                if state == "outdated":
                    changes = reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_translation", args=[item.pk]
                    )
                    action = format_html(
                        '{} · <a href="{}">See what changed in the original</a>', action, changes
                    )
            rows.append((name, STATE_LABELS[state], action))
        note = ""
        if obj.translation_of_id and _outdated(obj, obj.translation_of):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_translation", args=[obj.pk])
            note = format_html(
                '<p class="translation-outdated"><strong>Out of date:</strong> the original '
                "changed after this translation was last brought up to date. "
                '<a href="{}">See the change side by side</a>.</p>',
                url,
            )
        table = format_html(
            '<table class="translation-states"><thead><tr><th scope="col">Language</th>'
            '<th scope="col">State</th><th scope="col">Action</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )
        return format_html("{}{}", note, table)

    # The source's change, side by side --------------------------------------------------

    def get_urls(self):
        meta = self.model._meta
        urls = super().get_urls()
        if not self._translatable():
            return urls
        return [
            path(
                "<path:object_id>/translation/",
                self.admin_site.admin_view(self.translation_view),
                name=f"{meta.app_label}_{meta.model_name}_translation",
            ),
            *urls,
        ]

    def translation_view(self, request, object_id):
        translation = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, translation):
            raise PermissionDenied
        meta = self.model._meta
        change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])
        source = translation.translation_of
        if source is None:
            messages.info(request, "This item is an original: it translates nothing.")
            return redirect(change_url)
        if request.method == "POST":
            if not self.has_change_permission(request, translation):
                raise PermissionDenied
            translation.mark_translated(source)
            type(translation).objects.filter(pk=translation.pk).update(
                translated_version=translation.translated_version,
                translated_fingerprint=translation.translated_fingerprint,
            )
            messages.success(
                request, f"“{translation}” is marked as up to date with “{source}” as it is now."
            )
            return redirect(change_url)
        then = (
            source.history.filter(edit_version=translation.translated_version)
            .order_by("-history_date")
            .first()
            if translation.translated_version
            else None
        )
        return TemplateResponse(
            request,
            "admin/exosite/translation_changes.html",
            {
                **self.admin_site.each_context(request),
                "opts": meta,
                "object": translation,
                "source": source,
                "then": then,
                "outdated": _outdated(translation, source),
                "changes": source_changes(source, then),
                "own_text": [
                    (_label(translation, name), getattr(translation, name) or "")
                    for name in _fields(translation)
                ],
                "can_change": self.has_change_permission(request, translation),
                "title": f"What changed in the original of “{translation}”",
            },
        )


def _clean_language(form):
    return form.cleaned_data.get("language") or form.instance.language or languages.SOURCE


def _fields(obj):
    return (
        obj.translated_fields
        or getattr(obj, "reviewed_fields", ())
        or tuple(getattr(obj, "markdown_fields", {}))
    )


def _copied_fields(source):
    """What a new translation starts from: the text to translate, and the settings
    (topic, position, authors...) that are the same in every language."""
    skipped = {"language", "translation_of", "slug", "status", "published_at", "reviewer"}
    skipped |= {"reviewed_at", "next_review_at", "seo_description"}
    return {field.name for field in source._meta.concrete_fields} - skipped


def _label(obj, name):
    return str(obj._meta.get_field(name).verbose_name).capitalize()


def source_changes(source, then):
    """[(label, html table)]: each translated field of `source` that differs from its
    revision `then` (before | after); every field as it is now when there is no revision."""
    differ = difflib.HtmlDiff(wrapcolumn=70)
    changes = []
    for name in _fields(source):
        after = str(getattr(source, name) or "")
        before = str(getattr(then.instance, name) or "") if then is not None else ""
        if then is not None and before == after:
            continue
        table = differ.make_table(
            before.splitlines() or [""],
            after.splitlines() or [""],
            fromdesc="When last translated" if then is not None else "(no revision kept)",
            todesc="The original now",
            context=then is not None,
            numlines=2,
        )
        changes.append((_label(source, name), table))
    return changes
