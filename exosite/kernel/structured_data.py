"""schema.org data (JSON-LD) for the pages, built as Python dicts.

Templates print them through `exosite.templatetags.seo` (`{% json_ld %}` and friends),
which serialises and escapes them. Objects are read by their fields only: this module
imports no app.

Languages: every item says its own language (`inLanguage`, "en" or "es", as the page's
`<html lang>`), a page of many items (the glossary, the FAQ, the site) the page's; names
and addresses are the page's language's (/es/... on a Spanish page). The organisation is
one, whatever the page's language: its `@id` and addresses are the source language's.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from . import languages
from .text import plain_text, safe_url

CONTEXT = "https://schema.org"


def absolute(request, url):
    return request.build_absolute_uri(url) if request else url


def in_language(item):
    """The language `item` is written in ("en", "es"); the page's for what has none."""
    return getattr(item, "language", None) or languages.current()


def organization(request):
    home = absolute(request, languages.reverse("home", languages.SOURCE))
    return {
        "@type": "Organization",
        "@id": home + "#organization",
        "name": settings.SITE_NAME,
        "url": home,
        "email": settings.SITE_CONTACT_EMAIL,
        "publishingPrinciples": absolute(
            request, languages.reverse("trust:page", languages.SOURCE, args=["editorial-policy"])
        ),
        "contactPoint": {
            "@type": "ContactPoint",
            "contactType": "editorial",
            "email": settings.SITE_CONTACT_EMAIL,
            "url": absolute(
                request, languages.reverse("trust:page", languages.SOURCE, args=["contact"])
            ),
        },
    }


def person(request, profile):
    """A profile (trust.Person) as a schema.org Person."""
    page = absolute(request, profile.get_absolute_url()) if profile.is_public else None
    identity = None
    if page:
        # One person whatever the page's language: the @id is their English profile's.
        with languages.active(languages.SOURCE):
            identity = absolute(request, profile.get_absolute_url()) + "#person"
    data = {
        "@type": "Person",
        "@id": identity,
        "name": profile.name,
        "url": page,
        "jobTitle": profile.role,
        "description": profile.bio,
        "worksFor": {"@id": absolute(request, reverse("home")) + "#organization"},
    }
    if profile.credentials:
        data["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "name": profile.credentials,
        }
    if safe_url(profile.orcid):
        data["sameAs"] = [safe_url(profile.orcid)]
    if profile.photo:
        data["image"] = absolute(request, profile.photo.url)
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def person_page(request, profile):
    return {"@context": CONTEXT, **person(request, profile)}


def citation(reference):
    work = {"@type": "CreativeWork", "name": reference.citation}
    identifiers = []
    if reference.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi})
    if reference.pmid:
        identifiers.append(
            {"@type": "PropertyValue", "propertyID": "PMID", "value": reference.pmid}
        )
    if identifiers:
        work["identifier"] = identifiers
    url = safe_url(reference.doi_url or reference.pubmed_url or reference.url)
    if url:
        work["url"] = url
    return work


def article(request, article, references=()):
    """An article is a medical web page and an article: its authors, dates, medical
    review and the works it cites."""
    url = absolute(request, article.get_absolute_url())
    data = {
        "@context": CONTEXT,
        "@type": ["MedicalWebPage", "Article"],
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title[:110],
        "name": article.title,
        "description": article.description,
        "abstract": article.summary,
        "inLanguage": in_language(article),
        "isAccessibleForFree": True,
        "author": [person(request, p) for p in article.author_profiles.all()]
        or [organization(request)],
        "publisher": organization(request),
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "keywords": [tag.name for tag in article.tags.all()],
        "citation": [citation(reference) for reference in references],
    }
    if article.review_current and article.reviewer:  # only a review of this version
        data["lastReviewed"] = article.reviewed_at.isoformat()
        data["reviewedBy"] = person(request, article.reviewer)
    if article.lead_image:
        data["image"] = absolute(request, article.lead_image.url)
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def glossary(request, language=None):
    """The glossary of `language` (the page's by default): each language's is its own set,
    at its own address."""
    language = language or languages.current()
    url = absolute(request, languages.reverse("glossary:index", language))
    with languages.active(language):
        name = gettext("%(site_name)s glossary") % {"site_name": settings.SITE_NAME}
    return {
        "@type": "DefinedTermSet",
        "@id": url,
        "name": name,
        "url": url,
        "inLanguage": language,
    }


def defined_term(request, term, aliases=None, in_set=True):
    aliases = term.alias_list if aliases is None else aliases
    names = [name for name in [term.abbreviation, *aliases] if name and name != term.name]
    data = {
        "@type": "DefinedTerm",
        "@id": absolute(request, term.get_absolute_url()),
        "name": term.name,
        "description": term.short_definition,
        "url": absolute(request, term.get_absolute_url()),
        "inLanguage": in_language(term),
    }
    if names:
        data["alternateName"] = list(dict.fromkeys(names))
    if term.abbreviation:
        data["termCode"] = term.abbreviation
    if in_set:
        data["inDefinedTermSet"] = glossary(request, in_language(term))
    return data


def term_page(request, term):
    """A term on its own page: the DefinedTerm, with how to say it where there is a
    respelling or a recording.

    schema.org has no pronunciation property. What it has (checked against schema.org,
    2026) is the PronounceableText type ("new" area, from issue 2108): a Text with
    `phoneticText` in the markup `speechToTextMarkup` names, meant as a further value of
    `name` ("WKRP" and its PronounceableText, as schema.org's own example has it). Its
    examples of markup are IPA and SSML; an NCI-style respelling is neither, and schema.org
    defines no name for it, so the markup is described in words rather than passed off as
    IPA. The recording: `audio` belongs to CreativeWork, which a DefinedTerm (an
    Intangible) is not, so it is given by `subjectOf` (a CreativeWork about this Thing) as
    an AudioObject."""
    data = {"@context": CONTEXT, **defined_term(request, term)}
    if term.pronunciation:
        data["name"] = [
            term.name,
            {
                "@type": "PronounceableText",
                "textValue": term.name,
                "phoneticText": term.pronunciation,
                "speechToTextMarkup": "English respelling: syllables separated by hyphens, "
                "the stressed syllable in capitals",
                "inLanguage": "en",
            },
        ]
    if term.pronunciation_audio:
        recording = {
            "@type": "AudioObject",
            "name": f"How to say “{term.name}”",
            "contentUrl": absolute(request, term.pronunciation_audio.url),
            "encodingFormat": term.audio_type,
            "inLanguage": "en",
        }
        data["subjectOf"] = {key: value for key, value in recording.items() if value}
    return data


def glossary_page(request, terms):
    """The A–Z page: the glossary as a set of every term on it. Each term has the same
    @id as on its own page, where its aliases are given in full; here they are listed
    only if the listing loaded them (the A–Z page stays one query)."""
    return {
        "@context": CONTEXT,
        **glossary(request),
        "description": gettext(
            "Plain-language definitions of the terms used in exosome and extracellular "
            "vesicle research."
        ),
        "hasDefinedTerm": [
            defined_term(
                request,
                term,
                [] if "aliases" in term.get_deferred_fields() else term.alias_list,
                in_set=False,
            )
            for term in terms
        ],
    }


def faq_question(request, question):
    return {
        "@type": "Question",
        "name": question.question,
        "url": absolute(request, question.get_absolute_url()),
        "inLanguage": in_language(question),
        "acceptedAnswer": {"@type": "Answer", "text": plain_text(question.answer_html)},
    }


def faq_page(request, questions):
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "url": absolute(request, request.path) if request else "",
        "inLanguage": languages.current(),
        "mainEntity": [faq_question(request, question) for question in questions],
    }


def breadcrumbs(request, trail):
    """BreadcrumbList from the home page through `trail`, a list of (name, url); the
    last item is the current page."""
    items = [(settings.SITE_NAME, reverse("home")), *trail]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute(request, url)}
            for n, (name, url) in enumerate(items, start=1)
        ],
    }


def website(request):
    """The site, with its search box (a SearchAction search engines can offer)."""
    home = absolute(request, reverse("home"))
    search = absolute(request, reverse("search"))
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": home,
        "name": settings.SITE_NAME,
        "url": home,
        "inLanguage": languages.current(),
        "publisher": organization(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
