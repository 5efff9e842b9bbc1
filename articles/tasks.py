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
    article = Article.objects.filter(pk=article_id).only("pk", "lead_image").first()
    if article is None or not name or article.lead_image.name != name:
        return []
    renditions = make_renditions(article.lead_image)
    Article.objects.filter(pk=article_id, lead_image=name).update(lead_image_renditions=renditions)
    return renditions


@task
@retry(attempts=3, delay=timedelta(seconds=30))
def make_figure_renditions(figure_id: int, name: str) -> list:
    figure = Figure.objects.filter(pk=figure_id).only("pk", "image").first()
    if figure is None or not name or figure.image.name != name:
        return []
    renditions = make_renditions(figure.image)
    Figure.objects.filter(pk=figure_id, image=name).update(renditions=renditions)
    return renditions
