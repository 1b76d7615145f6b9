from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliance87.access import is_secretariat

from . import selectors
from .access import readable_country_ids, require_vision_reader


@login_required
@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    require_vision_reader(request.user)
    context = selectors.vision_page(user=request.user, params=request.GET)
    context["is_secretariat"] = is_secretariat(request.user)
    context["readable_countries"] = readable_country_ids(request.user)
    return render(request, "vision/vision_progress.html", context)
