"""The persons' categories every record uses: sex, age group (children under 16) and the 54
ethnic groups."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel

# Children are persons under 16 (Luật Trẻ em 2016, Điều 1).
CHILD_AGE_LIMIT = 16


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child (under 16)")
    ADULT = "adult", _("Adult")


def age_group_for(birth_year: int | None, on: datetime.date) -> str | None:
    if birth_year is None:
        return None
    return AgeGroup.CHILD if on.year - birth_year < CHILD_AGE_LIMIT else AgeGroup.ADULT


class EthnicGroup(BaseModel):
    """One of the 54 ethnic groups (Danh mục các dân tộc Việt Nam, QĐ 121-TCTK/PPCĐ 1979)."""

    code_system = models.CharField(_("code list"), max_length=40, default="qd121_tctk_1979")
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=60)
    aliases = models.CharField(
        _("other spellings"), max_length=120, blank=True, help_text=_("Separated by ';'")
    )
    is_minority = models.BooleanField(_("ethnic minority"), default=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code_system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_system", "code"], name="ethnic_group_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
