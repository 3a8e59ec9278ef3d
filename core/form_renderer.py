"""Django's form renderer, printing the plain `<input>` widgets without the template engine
(issue 16).

The basket page renders 21 inputs (the basket formset's ids, quantities and hidden
check boxes, the management form), the checkout's address form 10; each went through
three templates (`text.html` including `input.html` including `attrs.html`), about a
sixth of a millisecond apiece. `render_input` writes the same bytes from the same widget
context (what `Widget.get_context` built this request: nothing is kept between requests),
and a form made only of hidden fields (a formset's management form) is its hidden fields
side by side, as `django/forms/div.html` prints it. Every other template (selects, text
areas, the project's own widgets, forms with visible fields or errors) is rendered by
Django as before. tests/unit/test_form_renderer.py compares both ways, and fails if
Django's templates change.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`
# (the test reads each file to hold this).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "number", "hidden", "checkbox", "email", "password", "url", "tel",
        "search", "color", "date", "datetime", "time",
    )
)
FORM_TEMPLATE = "django/forms/div.html"


def _value(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping: the filter keeps a safe value safe."""
    text = stringformat(value, "s")
    return text if isinstance(value, SafeData) else escape(text)


def render_input(widget: dict[str, Any]) -> SafeString | None:
    """`input.html` and `attrs.html` for this widget context, or None where the template
    would do something this does not (a callable value, which the template would call)."""
    value, attrs = widget["value"], widget["attrs"]
    if callable(value) or any(callable(v) for v in attrs.values()):
        return None
    parts = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
    if value is not None:
        parts.append(f' value="{_value(value)}"')
    for name, attr in attrs.items():
        if attr is False:
            continue
        name = conditional_escape(name)
        parts.append(f" {name}" if attr is True else f' {name}="{_value(attr)}"')
    parts.append(">")
    return mark_safe("".join(parts))


class FastInputRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in INPUT_TEMPLATES and "widget" in context:
            html = render_input(context["widget"])
            if html is not None:
                return html
        elif (
            template_name == FORM_TEMPLATE
            and not context.get("fields", True)
            and not context.get("errors", True)
            and "hidden_fields" in context
        ):
            # `div.html` with no visible field and no error prints only the hidden fields.
            return mark_safe("".join(str(field) for field in context["hidden_fields"]).strip())
        return super().render(template_name, context, request=request)
