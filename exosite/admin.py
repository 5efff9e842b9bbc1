"""Admin pieces shared by the content apps."""

from django.contrib import admin, messages

from . import linking, markup

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

    def save_related(self, request, form, formsets, change):
        """After everything is saved, tell the editor about links and citations that do
        not work (the save itself stands: nothing they typed is lost)."""
        super().save_related(request, form, formsets, change)
        obj = form.instance
        source = linking.source_for(type(obj))
        rendered = markup.link(getattr(obj, source.html_field), **source.link_options(obj))
        for warning in rendered.warnings:
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description="Tags")
    def tag_list(self, obj):
        return ", ".join(sorted(tag.name for tag in obj.tags.all()))

    @admin.display(description="Live", boolean=True)
    def is_live(self, obj):
        return obj.is_published
