"""Forms for units: the edit form, also used to validate each row of an imported file."""

from __future__ import annotations

import re

from django import forms
from django.db import models

from gongkai.web.units.models import Unit

AREA_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_areas(text: str) -> list[str]:
    return [a for a in AREA_SEPARATORS.split(text or "") if a]


def http_url_formfield(field: models.Field, **kwargs):
    # Many government sites still answer on plain http: an address typed without a scheme means http.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "http"
    return field.formfield(**kwargs)


class UnitForm(forms.ModelForm):
    key_areas_text = forms.CharField(
        label="具有职权的重点领域",
        required=False,
        help_text="用顿号或逗号分隔，例如：财政预决算、重大建设项目、食品药品监管",
    )

    class Meta:
        model = Unit
        formfield_callback = http_url_formfield
        fields = [
            "name",
            "short_name",
            "group",
            "level",
            "parent",
            "website",
            "zhuanlan_url",
            "url_prefixes",
            "liaison_name",
            "liaison_phone",
            "liaison_email",
            "active",
        ]
        widgets = {"url_prefixes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key_areas_text"].initial = "、".join(self.instance.key_areas or [])
            self.fields["parent"].queryset = Unit.objects.exclude(pk=self.instance.pk)

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk:
            if node.pk == self.instance.pk:
                raise forms.ValidationError("上级单位不能是本单位或其下级单位")
            node = node.parent
        return parent

    def save(self, commit: bool = True) -> Unit:
        self.instance.key_areas = split_areas(self.cleaned_data.get("key_areas_text", ""))
        return super().save(commit=commit)
