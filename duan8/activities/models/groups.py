"""Community groups (teams, clubs, trusted addresses, livelihood groups), their statuses over
time and their members."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.activities.models.common import EthnicGroup, Sex
from duan8.core.models import BaseModel


class CommunityGroup(BaseModel):
    """A community model: communication team, club, trusted address, livelihood group, ..."""

    class Kind(models.TextChoices):
        COMMUNICATION_TEAM = "communication_team", _("Community communication team")
        CHANGE_CLUB = "change_club", _("“Leaders of change” club")
        TRUSTED_ADDRESS = "trusted_address", _("Trusted address")
        LIVELIHOOD_GROUP = "livelihood_group", _("Livelihood group")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        COOPERATIVE = "cooperative", _("Cooperative")

    class WomenLeadership(models.TextChoices):
        NONE = "", _("Not applicable")
        LEAD = "lead", _("Led by a woman")
        CO_LEAD = "co_lead", _("Co-led by a woman")

    class Channel(models.TextChoices):
        NONE = "", _("None")
        ZALO = "zalo", _("Zalo group")
        FACEBOOK = "facebook", _("Facebook group")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village or commune"),
        on_delete=models.PROTECT,
        related_name="community_groups",
    )
    school = models.CharField(
        _("school"), max_length=255, blank=True, help_text=_("For clubs held at a school")
    )
    founded_on = models.DateField(_("date founded"))
    plan = models.ForeignKey(
        "programs.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_groups",
    )
    women_leadership = models.CharField(
        _("women's leadership"),
        max_length=10,
        choices=WomenLeadership.choices,
        blank=True,
        default="",
    )
    channel = models.CharField(
        _("digital channel"), max_length=10, choices=Channel.choices, blank=True, default=""
    )
    channel_address = models.CharField(_("channel address or name"), max_length=255, blank=True)
    equipment = models.TextField(_("equipment received"), blank=True, help_text=_("One per line"))
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["org_unit__path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "founded_on"])]

    def __str__(self) -> str:
        return self.name


class CommunityGroupStatus(BaseModel):
    """The group's status from a date on; the status on a day is the latest one before it."""

    class Status(models.TextChoices):
        FOUNDED = "founded", _("Founded")
        MAINTAINED = "maintained", _("Maintained")
        PAUSED = "paused", _("Paused")
        DISSOLVED = "dissolved", _("Dissolved")

    group = models.ForeignKey(
        CommunityGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    on = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("group status")
        verbose_name_plural = _("group statuses")
        ordering = ["group", "on", "id"]
        indexes = [
            # The groups dissolved before a day (``rule_filters._groups_in_period``: once per year
            # and rule of a dashboard's series): a range of this index, not every status of the
            # country read again for each (14 scans of 0.65 ms on the load database).
            models.Index(
                fields=["on", "group"],
                condition=models.Q(status="dissolved"),
                name="groupstatus_dissolved_on",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%d/%m/%Y}"


class CommunityGroupMember(BaseModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        CORE = "core", _("Core member")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        CommunityGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnicity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["group", "joined_on", "full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_member_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)
