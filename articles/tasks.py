"""The articles' background work: WebP renditions of a newly uploaded lead image or figure
(exosite.kernel.images), made by the worker in production instead of in the editor's save.

Until they are made the page shows the uploaded original (the renditions of a replaced image
are dropped when it is replaced, so a page never shows the old picture). Each task names
the image it was asked for: if the image has been replaced or removed since, it does
nothing (the replacement asked for its own), and running it twice makes the same files.
"""

from datetime import timedelta

from django.tasks import task

from exosite.kernel.images import make_renditions
from exosite.kernel.tasks import retry

from .models import Article, Figure


@task
@retry(attempts=3, delay=timedelta(seconds=30))
def make_lead_image_renditions(article_id: int, name: str) -> list:
    return _renditions(Article, article_id, "lead_image", "lead_image_renditions", name)


@task
@retry(attempts=3, delay=timedelta(seconds=30))
def make_figure_renditions(figure_id: int, name: str) -> list:
    return _renditions(Figure, figure_id, "image", "renditions", name)


def _renditions(model, pk, field, kept_in, name):
    """Renditions of the image in `field` of row `pk`, stored in `kept_in`, if that image
    is still `name` (otherwise nothing: its replacement asked for its own)."""
    row = model.objects.filter(pk=pk).only("pk", field).first()
    if row is None or not name or getattr(row, field).name != name:
        return []
    renditions = make_renditions(getattr(row, field))
    model.objects.filter(pk=pk, **{field: name}).update(**{kept_in: renditions})
    return renditions
