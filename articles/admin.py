from django.contrib import admin

from exosite.admin import PublishableAdmin

from .models import Article, Reference


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "citation", "doi", "pmid", "url")
    ordering = ("position",)


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    list_display = (
        "title",
        "status",
        "is_live",
        "published_at",
        "featured",
        "reviewed_at",
        "tag_list",
    )
    list_filter = ("status", "featured", "published_at", "reviewed_at", "tags")
    search_fields = ("title", "summary", "body", "authors")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ReferenceInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "summary",
                    "body",
                    "authors",
                    "featured",
                    "autolink_terms",
                )
            },
        ),
        ("Medical review", {"fields": ("reviewed_at", "reviewed_by")}),
        ("Lead image", {"fields": ("lead_image", "lead_image_alt"), "classes": ("collapse",)}),
        PublishableAdmin.publishing_fieldset,
    )
