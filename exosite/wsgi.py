import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exosite.settings")

application = get_wsgi_application()
# A request whose headers Django cannot even parse still reaches the middleware, which
# answers it with the site's 400 (exosite.kernel.requests).
from exosite.kernel.requests import SiteRequest  # noqa: E402 (needs the settings loaded)

application.request_class = SiteRequest
