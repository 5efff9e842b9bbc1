"""Previews of unpublished content, exactly as visitors will see it.

- Staff: /preview/<kind>/<pk>/ shows the saved draft; the admin's "Preview" button posts
  the unsaved form to the admin and renders it through these same views.
- Reviewers without an account: /preview/share/<token>/, a signed link that expires
  (7 days by default) and can be revoked in the admin.

Every preview response is marked as a preview, `noindex`, and never cached.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from exosite.models import ShareLink

from . import kinds, languages

SHARE_SALT = "exosite.preview.share"


def render_preview(request, obj, banner):
    """Render `obj` (saved or not) with its kind's public detail view, marked as a
    preview, in the item's language (a Spanish draft as on its /es/ page: its links,
    terms and interface Spanish), whatever the preview's own address."""
    language = getattr(obj, "language", None) or languages.SOURCE
    with languages.active(language):
        view = kinds.of(obj).get_detail_view()()
        view.setup(request, slug=obj.slug)
        view.object = obj
        context = view.get_context_data(object=obj, preview=banner)
        response = render(request, view.template_name, context)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@staff_member_required
def staff_preview(request, kind, pk):
    try:
        model = kinds.get(kind).model
    except LookupError:
        raise PermissionDenied from None
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    obj = get_object_or_404(model, pk=pk)
    return render_preview(request, obj, banner="saved")


def share_token(link):
    return signing.dumps(link.pk, salt=SHARE_SALT)


def share_path(link):
    return reverse("preview-share", args=[share_token(link)])


def create_share_link(obj, user, days=None):
    days = settings.EXOSITE_SHARE_LINK_DAYS if days is None else days
    return ShareLink.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )


def shared_preview(request, token):
    try:
        pk = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        return gone(request)
    link = ShareLink.objects.filter(pk=pk).select_related("content_type").first()
    obj = shared_item(link) if link is not None and link.is_active else None
    if obj is None:
        return gone(request)
    return render_preview(request, obj, banner="shared")


def shared_item(link):
    """The item `link` shows, or None once it is gone (deleted, or its kind no longer
    registered): a link outlives its item, nothing deletes it with the item."""
    model = link.content_type.model_class()
    if model is None or kinds.for_model(model) is None:
        return None
    return model._default_manager.filter(pk=link.object_id).first()


def gone(request):
    response = render(request, "site/preview_gone.html", status=410)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def expires_in(link):
    return max(timedelta(0), link.expires_at - timezone.now())
