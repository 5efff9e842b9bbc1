"""When the CSRF check refuses a form (cookies cleared, a tab left open across a sign-in,
a browser that blocks cookies), the visitor gets the site's own page, not Django's bare
"Forbidden (403)": for a public form, with everything they typed in the form again and a
button to send it again (the page sets a fresh CSRF cookie, so the second send passes).

A view offers this by naming its form with `@resend_form(FormClass)`; what else the page
posts (a hidden "page" field, say) is listed in `keep`. The honeypot is never carried over.
Other forms (the admin's) get the explanation only: nothing typed is shown again, so a
password is never echoed. Everything shown is escaped by the template like any text.
"""

from django.shortcuts import render
from django.urls import Resolver404, resolve

HONEYPOT = "website"


def resend_form(form_class, keep=()):
    """Mark a view: a refused send of its `form_class` comes back ready to send again."""

    def mark(view):
        view.resend_form = (form_class, tuple(keep))
        return view

    return mark


def marked_form(request):
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    return getattr(view, "resend_form", None)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW (Django logs the refusal and its reason)."""
    context = {}
    marked = marked_form(request) if request.method == "POST" else None
    if marked:
        form_class, keep = marked
        typed = {
            name: request.POST.get(name, "")
            for name in form_class.base_fields
            if name != HONEYPOT and name in request.POST
        }
        form = form_class(initial=dict(typed))  # (a form may write into its initial)
        # What was sent wins over what a new form starts with: a form the visitor filled
        # keeps its own signed start time (exosite.kernel.forms.HumanForm).
        form.initial.update(typed)
        context = {
            "form": form,
            "kept": [(name, request.POST.get(name, "")[:300]) for name in keep],
            "action": request.get_full_path(),
        }
    return render(request, "csrf_failure.html", context, status=403)
