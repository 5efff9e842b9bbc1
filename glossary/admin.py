from django.contrib import admin

from exosite.kernel.admin import PublishableAdmin

from .models import Term


@admin.register(Term)
class TermAdmin(PublishableAdmin):
    list_display = (
        "name",
        "abbreviation",
        "status",
        "is_live",
        "autolink",
        "tag_list",
        "updated_at",
    )
    list_filter = ("status", "autolink", "tags")
    search_fields = ("name", "abbreviation", "aliases", "short_definition")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("related", "reviewer")
    fieldsets = (
        (None, {"fields": ("name", "slug", "abbreviation", "aliases", "autolink")}),
        ("Definition", {"fields": ("short_definition", "definition", "related")}),
        PublishableAdmin.review_fieldset,
        PublishableAdmin.publishing_fieldset,
    )
