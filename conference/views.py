from django.shortcuts import render

from conference import selectors


def home(request):
    return render(request, "conference/home.html", selectors.home_conferences(request.user))


def conference_detail(request, slug):
    return render(request, "conference/conference_detail.html", selectors.conference_page(request.user, slug))
