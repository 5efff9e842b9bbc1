from datetime import timedelta

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html

from exosite.kernel.admin import PublishableAdmin

from .models import Feedback, Page, Person, PersonTranslation


class PersonTranslationInline(admin.StackedInline):
    """The person's credentials, role, biography and interests for pages in another
    language; an empty field shows the original's."""

    model = PersonTranslation
    extra = 0
    fields = ("language", "credentials", "role", "bio", "conflicts_of_interest")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    inlines = (PersonTranslationInline,)
    list_display = ("name", "credentials", "role", "is_public", "updated_at")
    list_filter = ("is_public", "role")
    search_fields = ("name", "credentials", "role", "bio")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "credentials", "role", "bio", "is_public")}),
        ("Photo", {"fields": ("photo", "photo_alt")}),
        ("Identity and interests", {"fields": ("orcid", "conflicts_of_interest")}),
    )


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ("title", "slug", "status", "is_live", "in_footer", "position", "updated_at")
    list_editable = ("position",)
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body", "in_footer", "position")}),
        PublishableAdmin.publishing_fieldset,
    )


class PageFilter(admin.SimpleListFilter):
    """The pages with the most feedback, to see which need work."""

    title = "page"
    parameter_name = "page"

    def lookups(self, request, model_admin):
        rows = Feedback.objects.values("page").annotate(n=Count("id")).order_by("-n", "page")[:25]
        return [(row["page"], f"{row['page']} ({row['n']})") for row in rows]

    def queryset(self, request, queryset):
        return queryset.filter(page=self.value()) if self.value() else queryset


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return (("week", "Last 7 days"), ("older", "Older than a week"))

    def queryset(self, request, queryset):
        week_ago = timezone.now() - timedelta(days=7)
        if self.value() == "week":
            return queryset.filter(received_at__gte=week_ago)
        if self.value() == "older":
            return queryset.filter(received_at__lt=week_ago)
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("kind", "page_link", "short_comment", "received_at", "status")
    list_filter = ("status", "kind", AgeFilter, PageFilter)
    search_fields = ("page", "comment")
    readonly_fields = ("kind", "page_link", "visitor_comment", "contact", "received_at")
    fields = ("kind", "page_link", "visitor_comment", "contact", "received_at", "status")
    actions = ("mark_done", "dismiss")
    date_hierarchy = "received_at"

    class Media:
        css = {"all": ("css/admin.css",)}

    def has_add_permission(self, request):
        return False  # feedback comes from visitors

    @admin.display(description="Page", ordering="page")
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page, obj.page)

    @admin.display(description="Comment")
    def short_comment(self, obj):
        # Visitor text: escaped like any string, never rendered as HTML.
        return obj.comment if len(obj.comment) <= 80 else f"{obj.comment[:79]}…"

    @admin.display(description="Comment")
    def visitor_comment(self, obj):
        return format_html('<div class="visitor-text">{}</div>', obj.comment or "—")

    @admin.action(description="Mark as dealt with")
    def mark_done(self, request, queryset):
        count = queryset.update(status=Feedback.Status.DONE, contact="")
        self.message_user(request, f"{count} item(s) marked as dealt with; contact details erased.")

    @admin.action(description="Dismiss")
    def dismiss(self, request, queryset):
        count = queryset.update(status=Feedback.Status.DISMISSED, contact="")
        self.message_user(request, f"{count} item(s) dismissed; contact details erased.")
