"""Read the values of a rendered HTML form, as a browser would submit them unchanged."""

from html.parser import HTMLParser

SKIPPED_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data = {}
        self._select = None
        self._textarea = None

    def _add(self, name, value):
        if "__prefix__" in name:
            return  # the template of an inline formset's extra form
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in SKIPPED_INPUT_TYPES or (kind in {"checkbox", "radio"} and "checked" not in attrs):
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            values = self.data[self._textarea]
            values[-1] = values[-1].removeprefix("\n")  # as browsers do
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_data(html):
    """{name: value, or [values] for several} of every field of the page (an admin change page has one form)."""
    parser = _FormParser()
    parser.feed(html)
    data = {name: values for name, values in parser.data.items() if name != "csrfmiddlewaretoken"}
    return {name: values[0] if len(values) == 1 else values for name, values in data.items() if values}
