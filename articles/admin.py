from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from exosite.kernel.admin import (
    ProblemsFilter,
    PublishableAdmin,
    PublishableForm,
    figure_placeholders,
)

from .models import Article, Figure


class ReviewDueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (("overdue", "Overdue"), ("soon", "Due within 30 days"))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.review_overdue(today).order_by("next_review_at")
        if self.value() == "soon":
            return queryset.review_due_soon(today).order_by("next_review_at")
        return queryset


class FigureInline(admin.StackedInline):
    model = Figure
    extra = 0
    fields = ("key", "image", "thumbnail", "alt", "caption", "credit")
    readonly_fields = ("thumbnail",)
    verbose_name_plural = "Figures (place one in the body with [[figure:key]] on its own line)"

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        if not obj.pk or not obj.image:
            return "Shown after saving."
        return format_html(
            '<img src="{}" alt="{}" width="160" loading="lazy">', obj.image.url, obj.alt
        )


class ArticleForm(PublishableForm):
    def check_people(self, data):
        authors = data.get("author_profiles") or []
        reviewer = self.instance.reviewer
        if reviewer is not None and reviewer in authors:
            field = "reviewer" if "reviewer" in self.fields else "author_profiles"
            self.add_error(
                field,
                f"{reviewer.name} is one of the authors: the medical reviewer is someone else.",
            )

    def unsaved_link_options(self):
        """The figures on this page (saved or not, less those marked for deletion)."""
        try:
            total = min(int(self.data.get("figures-TOTAL_FORMS", 0)), 200)
        except ValueError:
            total = 0
        keys = [
            self.data.get(f"figures-{index}-key", "").strip()
            for index in range(total)
            if not self.data.get(f"figures-{index}-DELETE")
        ]
        return {"figures": figure_placeholders(keys)} if "figures-TOTAL_FORMS" in self.data else {}


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    form = ArticleForm
    list_display = (
        "title",
        "status",
        "is_live",
        "published_at",
        "featured",
        "reviewed_at",
        "next_review_at",
        "tag_list",
    )
    list_filter = (
        "status",
        ReviewDueFilter,
        ProblemsFilter,
        "featured",
        "published_at",
        "tags",
    )
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (FigureInline,)
    autocomplete_fields = ("author_profiles", "reviewer")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "summary",
                    "body",
                    "author_profiles",
                    "featured",
                    "autolink_terms",
                )
            },
        ),
        PublishableAdmin.review_fieldset,
        ("Lead image", {"fields": ("lead_image", "lead_image_alt"), "classes": ("collapse",)}),
        PublishableAdmin.publishing_fieldset,
    )

    def get_ordering(self, request):
        if request.GET.get("review"):  # the review-due list: the longest waiting first
            return ("next_review_at",)
        return super().get_ordering(request)
