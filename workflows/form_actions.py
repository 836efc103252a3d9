"""The one way a page's small POST actions (meetings, interventions, consultations) take a
form: the service runs when the form is valid, its refusal shows as a message, another agency's
object is a 404, and the user goes back to the page either way."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from referral.services.errors import NotFound, ReferralError


def act_on_form(request, form, act, done: str, *, back: tuple):
    """Calls `act(cleaned_data)` when `form` is valid; then redirects to `back` (a URL name and
    its arguments), with `done` or the errors as a message."""
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(map(str, e)) for e in form.errors.values()))
        return redirect(*back)
    try:
        act(form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(*back)
