"""Demo data: the mothers of xã Ba Trang proposed for the safe-motherhood packages in late 2023
(``data/ba_trang_2023_mothers.json``, issue 13, point 7).

Every step goes through the registry's services, by the demo user who would take it: the health
station and the village health worker of Bùi Hui propose, the WU officer records consent,
verifies, rejects the one not eligible (with the engine's reason) and confirms the likely
duplicate, the chairman approves, and the accountant pays from an approved payment list. A case
is found again by its mother's name, village and delivery date, so a second run creates nothing
twice. Never load this into a production database.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core.schemas import Count, Day, FileSchema, Name, Text, load_file
from duan8.mothers.models import Consent, DuplicateCandidate, PaymentList, Pregnancy
from duan8.mothers.rules_data import package_rules_load
from duan8.mothers.services.approval import cases_approve
from duan8.mothers.services.consent import consent_in_force, consent_record, consent_texts_load
from duan8.mothers.services.duplicates import duplicate_confirm
from duan8.mothers.services.inputs import CaseInput, ChildInput, VisitInput
from duan8.mothers.services.payments import (
    paid_net,
    payment_list_approve,
    payment_list_create,
    payment_record,
)
from duan8.mothers.services.registry import mother_propose, pregnancy_reject, pregnancy_verify
from duan8.orgunits.models import OrgUnit

DEMO_MOTHERS_FILE = Path(__file__).resolve().parent / "data" / "ba_trang_2023_mothers.json"


class CaseRow(FileSchema):
    key: Name
    proposed_by: Literal["health_station", "village_health_worker"]
    village: Name
    full_name: Name
    birth_year: int
    ethnicity: Name
    id_number: Text
    phone: Text
    expected_on: Day
    delivered_on: Day
    place: Literal["facility", "home"]
    facility: Text
    mode: Literal["normal", "caesarean"]
    babies: Count
    days_at_facility: Count | None
    carer_name: Text
    visits: list[Day]
    children: list[Literal["F", "M"]]


class PaymentListRow(FileSchema):
    number: Text
    title: Name
    year: int
    decided_on: Day  # the day the cases and the list were approved, as the demo tells it
    paid_on: Day


class MothersFile(FileSchema):
    format: Literal["duan8.demo_mothers/1"]
    source: Text
    notes: list[Text]
    cases: list[CaseRow]
    consent_on: Day
    verified: list[Name]
    rejected: dict[str, Name]
    duplicates_confirmed: list[list[Name]]  # [first case, second case, note]
    approved: list[Name]
    payment_list: PaymentListRow


@dataclass
class DemoMothersTally:
    proposed: int = 0
    existing: int = 0
    paid: int = 0

    def lines(self) -> list[str]:
        return [
            _("Mothers proposed for the packages: %(created)s created, %(existing)s already there.")
            % {"created": self.proposed, "existing": self.existing},
            _("Payments to mothers recorded: %(count)s.") % {"count": self.paid},
        ]


def _input(row: CaseRow, commune: OrgUnit, village: OrgUnit) -> CaseInput:
    return CaseInput(
        commune=commune,
        village=village,
        full_name=row.full_name,
        birth_year=row.birth_year,
        ethnic_code=row.ethnicity,
        id_number=row.id_number,
        phone=row.phone,
        expected_on=row.expected_on,
        delivered_on=row.delivered_on,
        place=row.place,
        facility=row.facility,
        mode=row.mode,
        babies=row.babies,
        days_at_facility=row.days_at_facility,
        has_carer=bool(row.carer_name),
        carer_name=row.carer_name,
        visits=[VisitInput(visited_on=day, facility=row.facility) for day in row.visits],
        children=[ChildInput(sex=sex) for sex in row.children],
    )


class _Loader:
    def __init__(
        self, *, commune: OrgUnit, villages: dict[str, OrgUnit], actors: dict[str, User]
    ) -> None:
        self.commune = commune
        self.villages = villages
        self.actors = actors
        self.cases: dict[str, Pregnancy] = {}
        self.tally = DemoMothersTally()

    def actor(self, key: str) -> User:
        if key not in self.actors:
            raise ValidationError(_("Demo data: no user given for “%(key)s”.") % {"key": key})
        return self.actors[key]

    def case(self, key: str) -> Pregnancy:
        if key not in self.cases:
            raise ValidationError(_("Demo data: unknown case “%(key)s”.") % {"key": key})
        case = self.cases[key]
        case.refresh_from_db()
        return case

    def propose(self, row: CaseRow, consent_on: datetime.date) -> None:
        if row.village not in self.villages:
            raise ValidationError(_("Demo data: unknown village “%(key)s”.") % {"key": row.village})
        village = self.villages[row.village]
        found = Pregnancy.objects.filter(
            mother__full_name=row.full_name, village=village, delivered_on=row.delivered_on
        ).first()
        if found is not None:
            self.cases[row.key] = found
            self.tally.existing += 1
            return
        case = mother_propose(
            actor=self.actor(row.proposed_by), data=_input(row, self.commune, village)
        )
        self.cases[row.key] = case
        self.tally.proposed += 1
        if not consent_in_force(case.mother, consent_on):
            consent_record(
                actor=self.actor("commune_wu_officer"),
                mother=case.mother,
                given_on=consent_on,
                channel=Consent.Channel.PAPER,
                signer=Consent.Signer.MOTHER,
                signer_name=row.full_name,
            )

    def decide(self, data: MothersFile) -> None:
        officer = self.actor("commune_wu_officer")
        for first, second, note in (row[:3] for row in data.duplicates_confirmed):
            pair = {self.case(first).pk, self.case(second).pk}
            for candidate in DuplicateCandidate.objects.filter(
                first_id__in=pair, second_id__in=pair, status=DuplicateCandidate.Status.OPEN
            ):
                duplicate_confirm(
                    actor=officer,
                    candidate=candidate,
                    expected_version=candidate.version,
                    note=note,
                )
        for key, reason in data.rejected.items():
            case = self.case(key)
            if case.status == Pregnancy.Status.PROPOSED:
                pregnancy_reject(
                    actor=officer, pregnancy=case, expected_version=case.version, reason=reason
                )
        for key in data.verified:
            case = self.case(key)
            if case.status == Pregnancy.Status.PROPOSED:
                pregnancy_verify(actor=officer, pregnancy=case, expected_version=case.version)
        waiting = [self.case(key) for key in data.approved]
        waiting = [case for case in waiting if case.status == Pregnancy.Status.VERIFIED]
        if waiting:
            cases_approve(
                actor=self.actor("commune_leader"),
                commune=self.commune,
                pregnancies=waiting,
                expected_versions={case.pk: case.version for case in waiting},
            )

    def pay(self, spec: PaymentListRow) -> None:
        payment_list = PaymentList.objects.filter(commune=self.commune, year=spec.year).first()
        if payment_list is None:
            payment_list = payment_list_create(
                actor=self.actor("commune_accountant"),
                commune=self.commune,
                year=spec.year,
                title=spec.title,
                number=spec.number,
            )
        if payment_list.status == PaymentList.Status.DRAFT:
            payment_list = payment_list_approve(
                actor=self.actor("commune_leader"),
                payment_list=payment_list,
                expected_version=payment_list.version,
            )
            _date_decisions(payment_list, spec.decided_on)
        for entry in payment_list.entries.all():
            due = entry.amount_due - paid_net(entry)
            if due > 0:
                payment_record(
                    actor=self.actor("commune_accountant"),
                    entry=entry,
                    paid_on=spec.paid_on,
                    amount=due,
                    receipt=f"PC{entry.order:03d}/{spec.year}",
                )
                self.tally.paid += 1


def _date_decisions(payment_list: PaymentList, day: datetime.date) -> None:
    """Move the approvals of the list and of its cases to the day the demo tells (at 9:00), so
    that the payments of that year may follow them. Only the timestamps change; who did what and
    the audit log stay as the services wrote them."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    PaymentList.objects.filter(pk=payment_list.pk).update(approved_at=moment)
    cases = Pregnancy.objects.filter(list_entries__payment_list=payment_list)
    cases.update(approved_at=moment)
    cases.filter(verified_at__gt=moment).update(verified_at=moment)
    payment_list.refresh_from_db()


@transaction.atomic
def demo_mothers_load(
    *,
    commune: OrgUnit,
    villages: dict[str, OrgUnit],
    actors: dict[str, User],
    path: Path = DEMO_MOTHERS_FILE,
) -> DemoMothersTally:
    """Load the file through the services; returns what was created and what was found."""
    data = load_file(MothersFile, path)
    consent_texts_load()
    package_rules_load()  # links the rules' provinces, now that the map is loaded
    loader = _Loader(commune=commune, villages=villages, actors=actors)
    for row in data.cases:
        loader.propose(row, data.consent_on)
    loader.decide(data)
    loader.pay(data.payment_list)
    return loader.tally
