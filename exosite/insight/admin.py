"""The insight dashboard, its CSV exports and "add as an alias", and promoted results."""

import csv
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exosite.kernel import kinds, languages, review

from . import charts, items, promotions, reports
from .models import Dashboard, Promotion


def admin_url(kind_name, action, *args):
    """The admin address of `action` ("add", "change", "changelist") for a kind's model."""
    try:
        meta = kinds.get(kind_name).model._meta
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)
    except (LookupError, NoReverseMatch):
        return ""


def may(user, kind_name, action):
    try:
        meta = kinds.get(kind_name).model._meta
    except LookupError:
        return False
    return user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")


def with_params(url, **params):
    return f"{url}?{urlencode(params)}" if url else ""


def as_name(query):
    """A query as a starting name or question: "dendritic cells" -> "Dendritic cells"."""
    return query[:1].upper() + query[1:]


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    """No table behind it: its list page is the dashboard."""

    def has_view_permission(self, request, obj=None):
        user = request.user
        return reports.can_see_reading(user) or reports.can_see_searches(user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.dashboard), name="insight_dashboard_changelist"),
            path("csv/<slug:table>/", view(self.export), name="insight_dashboard_csv"),
            path("alias/", view(self.alias), name="insight_dashboard_alias"),
        ]

    # -- the dashboard ----------------------------------------------------------------

    @staticmethod
    def window(request):
        try:
            days = int(request.GET.get("days", 30))
        except ValueError:
            days = 30
        return days if days in reports.WINDOWS else 30

    def tables(self, request, days, limit=reports.ROWS):
        """{slug: Table} of what `request.user` may see."""
        user = request.user
        today = timezone.localdate()
        found = {}
        if reports.can_see_reading(user):
            allowed = reports.allowed_kinds(user)
            found["most-read"] = reports.most_read(today, allowed, days, limit)
            found["helpful"] = reports.helpful_ratio(today, allowed, days, limit)
            found["feedback"] = reports.feedback_over_time(today, allowed)
            found["unhelpful"] = reports.read_but_unhelpful(today, allowed, days, limit)
            found["review-overdue"] = reports.review_overdue(today, allowed, days, limit)
        if reports.can_see_searches(user):
            found["no-results"] = reports.searches_without_results(today, days, limit)
            found["not-opened"] = reports.searches_not_opened(today, days, limit)
        return found

    def dashboard(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = self.window(request)
        tables = self.tables(request, days)
        user = request.user
        for row in getattr(tables.get("no-results"), "extra", ()):
            row["actions"] = self.gap_actions(user, row["query"], row["language"])
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Insight: what visitors read, search for and cannot find"),
            "opts": self.model._meta,
            "days": days,
            "windows": reports.WINDOWS,
            "tables": tables,
            "sections": [tables[slug] for slug in self.order if slug in tables],
            "charts": self.charts(tables, days),
            "retention": reports.retention(),
            "can_promote": user.has_perm("insight.add_promotion"),
            "promotions_url": reverse("admin:insight_promotion_changelist"),
        }
        if reports.can_see_reading(user):
            context["views_total"] = reports.views_total(today, reports.allowed_kinds(user), days)
        if reports.can_see_searches(user):
            context["search_totals"] = reports.search_totals(today, days)
        return TemplateResponse(request, "admin/insight/dashboard.html", context)

    order = ("most-read", "no-results", "not-opened", "helpful", "unhelpful", "feedback",
             "review-overdue")  # fmt: skip

    @staticmethod
    def charts(tables, days):
        drawn = {}
        if "most-read" in tables:
            table = tables["most-read"]
            column = {7: 3, 30: 4, 90: 5}[days]
            rows = [(row[0], row[column]) for row in table.rows]
            drawn["most-read"] = charts.bars(
                "chart-most-read",
                gettext("Most read items, views in the last %(days)s days") % {"days": days},
                rows,
                summary=summary(rows),
            )
        if "no-results" in tables:
            rows = [(row[0], row[3]) for row in tables["no-results"].rows]
            drawn["no-results"] = charts.bars(
                "chart-no-results",
                gettext("Searches that found nothing, most often first"),
                rows,
                summary=summary(rows),
            )
        if "feedback" in tables:
            table = tables["feedback"]
            columns = [(row[0][5:], row[1:4]) for row in table.rows]
            drawn["feedback"] = charts.stacked_columns(
                "chart-feedback",
                gettext("Feedback per week"),
                columns,
                [
                    ("insight-helpful", gettext("Helpful")),
                    ("insight-unhelpful", gettext("Not helpful")),
                    ("insight-problem", gettext("Problem reports")),
                ],
                summary=gettext(
                    "%(helpful)s helpful, %(unhelpful)s not helpful, %(problems)s problem "
                    "reports in %(weeks)s weeks."
                )
                % {
                    "helpful": sum(row[1] for row in table.rows),
                    "unhelpful": sum(row[2] for row in table.rows),
                    "problems": sum(row[3] for row in table.rows),
                    "weeks": len(table.rows),
                },
            )
        return drawn

    @staticmethod
    def gap_actions(user, query, language):
        """What an editor can make of a search that found nothing."""
        actions = []
        if may(user, "glossary", "add"):
            url = with_params(
                admin_url("glossary", "add"), name=as_name(query), language=language, status="draft"
            )
            actions.append((gettext("Create a glossary term"), url))
        if may(user, "faq", "add"):
            url = with_params(
                admin_url("faq", "add"), question=as_name(query), language=language, status="draft"
            )
            actions.append((gettext("Create an FAQ entry"), url))
        if may(user, "glossary", "change"):
            url = with_params(
                reverse("admin:insight_dashboard_alias"), query=query, language=language
            )
            actions.append((gettext("Add as an alias of a term"), url))
        if user.has_perm("insight.add_promotion"):
            url = with_params(
                reverse("admin:insight_promotion_add"), query=query, language=language
            )
            actions.append((gettext("Pin a result"), url))
        return [(label, url) for label, url in actions if url]

    # -- CSV --------------------------------------------------------------------------

    def export(self, request, table):
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = self.window(request)
        found = self.tables(request, days, limit=reports.CSV_ROWS).get(table)
        if found is None:
            raise Http404(gettext("No such table, or not yours to see."))
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"insight-{table}-{days}-days-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow([str(column) for column in found.columns])
        for row in found.rows:
            writer.writerow([safe_cell(value) for value in row])
        return response

    # -- add as an alias ----------------------------------------------------------------

    def alias(self, request):
        if not (reports.can_see_searches(request.user) and may(request.user, "glossary", "change")):
            raise PermissionDenied
        glossary = kinds.glossary()
        if glossary is None:
            raise Http404
        source = request.POST if request.method == "POST" else request.GET
        language = languages.normalise(source.get("language")) or languages.SOURCE
        query = promotions.normalise(source.get("query", ""))
        terms = items.objects(glossary, language, published=False)
        form = AliasForm(
            request.POST if request.method == "POST" else None,
            initial={"query": query, "language": language},
            terms=terms,
            candidates=candidates(terms, query),
        )
        if request.method == "POST" and form.is_valid():
            term = form.cleaned_data["term"]
            alias = form.cleaned_data["alias"]
            done = self.add_alias(request, term, alias)
            if done:
                return HttpResponseRedirect(reverse("admin:insight_dashboard_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add “%(query)s” as an alias") % {"query": query or "…"},
            "opts": self.model._meta,
            "form": form,
            "query": query,
        }
        return TemplateResponse(request, "admin/insight/alias.html", context)

    def add_alias(self, request, term, alias):
        """Append `alias` to `term`'s aliases and save it as the admin would (a revision
        naming the editor; the editorial gate for a published term)."""
        names = [term.name, *term.alias_list] if hasattr(term, "alias_list") else [term.name]
        if promotions.normalise(alias) in {promotions.normalise(name) for name in names}:
            messages.info(
                request,
                gettext("“%(alias)s” is already a name of “%(term)s”.")
                % {"alias": alias, "term": term.name},
            )
            return True
        term.aliases = "\n".join(line for line in [term.aliases.rstrip(), alias] if line)
        if term.status == "published" and (found := review.problems(term)):
            change = admin_url("glossary", "change", term.pk)
            problems = " ".join(message for listed in found.values() for message in listed)
            messages.error(
                request,
                gettext(
                    "Not added: “%(term)s” is published and its names are reviewed. %(problems)s "
                    "Open the term (%(url)s) to add the alias with a new review."
                )
                % {"term": term.name, "problems": problems, "url": change},
            )
            return False
        with transaction.atomic():
            term._change_reason = gettext("Alias added from a search: %(alias)s") % {"alias": alias}
            term.save()
        messages.success(
            request,
            gettext("“%(alias)s” is now an alias of “%(term)s”.")
            % {"alias": alias, "term": term.name},
        )
        return True


def summary(rows):
    if not rows:
        return ""
    label, value = rows[0]
    return gettext("%(count)s rows; the first, “%(label)s”, with %(value)s.") % {
        "count": len(rows),
        "label": label,
        "value": value,
    }


def safe_cell(value):
    """A CSV cell a spreadsheet will not run as a formula (queries are visitors' text)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def candidates(terms, query, limit=12):
    """Terms whose name shares a word's start with the query, for the alias form."""
    from django.db.models import Q

    stems = {word[:4] for word in query.split() if len(word) >= 3}
    if not stems:
        return terms.none()
    matches = Q()
    for stem in list(stems)[:5]:
        matches |= Q(name__icontains=stem) | Q(aliases__icontains=stem)
    return terms.filter(matches).order_by("name")[:limit]


class AliasForm(forms.Form):
    query = forms.CharField(widget=forms.HiddenInput)
    language = forms.CharField(widget=forms.HiddenInput)
    alias = forms.CharField(
        label=_("Alias"),
        max_length=200,
        help_text=_("As it should read in the term's list of other names."),
    )
    choice = forms.ChoiceField(
        label=_("Term"), required=False, widget=forms.RadioSelect, choices=()
    )
    name = forms.CharField(
        label=_("Or type the term's name"),
        required=False,
        max_length=200,
        help_text=_("The term's name exactly, in the search's language."),
    )

    def __init__(self, *args, terms, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = terms
        self.fields["choice"].choices = [(str(term.pk), term.name) for term in candidates]
        if not candidates:
            del self.fields["choice"]
        query = self.initial.get("query", "")
        self.fields["alias"].initial = query

    def clean(self):
        data = super().clean()
        choice, name = data.get("choice"), (data.get("name") or "").strip()
        term = None
        if name:
            term = self.terms.filter(name__iexact=name).first()
            if term is None:
                self.add_error("name", _("No term has that name in this language."))
        elif choice:
            term = self.terms.filter(pk=choice).first()
        else:
            raise forms.ValidationError(_("Choose a term, or type its name."))
        data["term"] = term
        if term is None and not self.errors:
            raise forms.ValidationError(_("Choose a term, or type its name."))
        return data


# -- promoted results -----------------------------------------------------------------------


class PromotionForm(forms.ModelForm):
    item = forms.CharField(
        label=_("Item"),
        max_length=300,
        help_text=_(
            "The item's address on this site (/glossary/exosome/) or its kind and slug as "
            "in cross-links (glossary:exosome). A draft may be pinned: it shows once published."
        ),
    )

    class Meta:
        model = Promotion
        fields = ("query", "variants", "item", "language", "position", "active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        obj = self.instance
        if obj.pk and not self.is_bound:
            found = promotions.item(obj.kind, obj.object_id)
            self.initial["item"] = (
                f"{obj.kind}:{found.slug}" if found is not None else f"{obj.kind}:?"
            )

    def clean_item(self):
        text = self.cleaned_data["item"]
        found = items.named(text, language=self.data.get("language") or None)
        if found is None:
            found = items.named(text)
        if found is None:
            raise forms.ValidationError(
                _("No item has that address, or that kind and slug: paste the page's address.")
            )
        return found

    def _post_clean(self):
        found = self.cleaned_data.get("item")
        if found:
            self.instance.kind, self.instance.object_id = found[0], found[1]
        super()._post_clean()


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    form = PromotionForm
    list_display = ("query", "pinned_item", "language", "position", "active", "live")
    list_filter = ("active", "language", "kind")
    search_fields = ("query", "variants")
    list_editable = ("position", "active")
    fieldsets = (
        (None, {"fields": ("query", "variants", "item")}),
        (_("Where and in which order"), {"fields": ("language", "position", "active")}),
    )

    @admin.display(description=_("Item"))
    def pinned_item(self, obj):
        found = promotions.item(obj.kind, obj.object_id)
        return f"{reports.kind_label(obj.kind)}: {found}" if found else gettext("(deleted)")

    @admin.display(description=_("Shown now"), boolean=True)
    def live(self, obj):
        return promotions.item(obj.kind, obj.object_id, published=True) is not None
