"""The kernel's own admin: share links for reviewers (the editorial workflow's bases are in
exosite.kernel.admin, the tag admin in exosite.kernel.tags)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import ngettext

from .kernel import kinds, preview
from .models import ShareLink


def sees_every_link(user):
    """Whether `user` may change every kind of item a link can show (Editors)."""
    return user.is_superuser or all(
        user.has_perm(f"{kind.model._meta.app_label}.change_{kind.model._meta.model_name}")
        for kind in kinds.all()
    )


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Preview links made for reviewers, to see and revoke. Who sees which: someone who may
    change every kind of content (Editors) sees every link, whoever made it, to clear up
    after a colleague; anyone else with the share-link rights (FAQ staff, who share FAQ
    entries) sees and revokes only the links they made themselves."""

    list_display = ("__str__", "target", "created_by", "created_at", "expires_at", "active")
    list_filter = ("revoked_at", "expires_at")
    list_select_related = ("content_type", "created_by")
    actions = ("revoke",)
    readonly_fields = ("target", "content_type", "object_id", "created_by", "created_at", "link")

    def get_queryset(self, request):
        links = super().get_queryset(request)
        if sees_every_link(request.user):
            return links
        return links.filter(created_by=request.user)

    def has_add_permission(self, request):
        return False  # made from the item's page

    @admin.display(description="Item")
    def target(self, obj):
        item = preview.shared_item(obj)
        return item if item is not None else "(deleted)"

    @admin.display(boolean=True)
    def active(self, obj):
        return obj.is_active

    @admin.display(description="Link")
    def link(self, obj):
        return preview.share_path(obj)

    @admin.action(description="Revoke (the link stops working at once)", permissions=("change",))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count)
            % {"count": count},
        )
