"""How the archive's forms render their fields: Django's own layout, except that a checkbox
comes before its label, on a line of its own, so that no box seems to belong to the label
before it (as a label, box, label, box row did on the posting form)."""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    field_template_name = "components/form_field.html"
