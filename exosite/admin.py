"""Admin pieces shared by the content apps."""

from django.contrib import admin

admin.site.site_header = "Exosite administration"
admin.site.site_title = "Exosite admin"
admin.site.index_title = "Content and visitor questions"


class PublishableAdmin(admin.ModelAdmin):
    """Common admin behaviour for articles, glossary terms and FAQ entries."""

    list_filter = ("status", "published_at", "tags")
    date_hierarchy = "published_at"
    list_per_page = 50
    readonly_fields = ("created_at", "updated_at")
    publishing_fieldset = (
        "Publishing",
        {
            "fields": (
                "status",
                "published_at",
                "tags",
                "seo_description",
                "created_at",
                "updated_at",
            )
        },
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description="Live", boolean=True)
    def is_live(self, obj):
        return obj.is_published
