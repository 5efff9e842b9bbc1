from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from exosite.kernel.admin import ProblemsFilter, PublishableAdmin

from .models import Article, Figure, Reference


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


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "citation", "doi", "pmid", "url")
    ordering = ("position",)


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


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
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
    search_fields = ("title", "summary", "body", "authors")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ReferenceInline, FigureInline)
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
        ("Medical review", {"fields": ("reviewed_at", "reviewed_by", "next_review_at")}),
        ("Lead image", {"fields": ("lead_image", "lead_image_alt"), "classes": ("collapse",)}),
        PublishableAdmin.publishing_fieldset,
    )

    def get_ordering(self, request):
        if request.GET.get("review"):  # the review-due list: the longest waiting first
            return ("next_review_at",)
        return super().get_ordering(request)

    def prepare_preview(self, request, obj):
        """The references as edited in the form, for the unsaved preview."""
        data = request.POST
        try:
            total = min(int(data.get("references-TOTAL_FORMS", 0)), 500)
        except ValueError:
            total = 0
        references = []
        for index in range(total):
            prefix = f"references-{index}-"
            position = data.get(f"{prefix}position", "")
            if data.get(f"{prefix}DELETE") or not position.isdigit():
                continue
            references.append(
                Reference(
                    position=int(position),
                    citation=data.get(f"{prefix}citation", ""),
                    doi=data.get(f"{prefix}doi", "").strip(),
                    pmid=data.get(f"{prefix}pmid", "").strip(),
                    url=data.get(f"{prefix}url", "").strip(),
                )
            )
        obj.preview_references = sorted(references, key=lambda reference: reference.position)
