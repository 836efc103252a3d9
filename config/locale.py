"""Chinese by default, whatever the browser asks for; English only when the user chooses it."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Activates the language the user chose (the cookie set by the language switch), else
    LANGUAGE_CODE. The browser's Accept-Language is not consulted: the officers' machines are
    often set to English while the working language is Chinese."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
