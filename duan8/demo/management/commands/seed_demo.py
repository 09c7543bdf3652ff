"""Demo data: the map of Quảng Ngãi, xã Ba Trang's villages, Dự án 8, Ba Trang's 2023 plan, a
year of its work and its reports to the level above (one approved and locked, one returned).

Safe to run again: every step finds what an earlier run made. Demo logins share one password,
printed at the end; never run this against a production database.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.models import Membership, Role, User
from duan8.activities.rules import indicator_rules_load
from duan8.demo.assignment import demo_assignment_ensure
from duan8.demo.mothers import demo_mothers_load
from duan8.demo.reports import demo_reports_load
from duan8.demo.work import demo_work_load
from duan8.finance.demo import demo_finance_load, demo_settlement_load
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.selectors import org_unit_resolve
from duan8.orgunits.services import national_root, org_unit_attribute_set, village_create
from duan8.programs.models import Plan
from duan8.programs.plan_data import (
    BA_TRANG_2023,
    PlanApprovedError,
    legal_document_register,
    plan_data_read,
    plan_load,
)
from duan8.programs.structure import (
    load_message,
    program_structure_files,
    program_structure_load,
)
from duan8.supervision.demo import demo_supervision_load

DEMO_PASSWORD = "duan8-demo-2023"
PROVINCE = "51"  # Quảng Ngãi, QĐ 19/2025 code (the old Quảng Ngãi and Kon Tum come along)
ISSUED_ON = datetime.date(2023, 9, 25)  # the plan's date: units are looked up as they were then
BA_TRANG, BA_KHAM, BA_TO = "21520", "21508", "535"
REFORMED_ON = datetime.date(2025, 7, 1)  # the new tỉnh Quảng Ngãi (two-tier map) from this day
VILLAGES = ["Bùi Hui", "Kon Riêng", "Nước Đang"]
DBKK_FROM = datetime.date(2021, 9, 16)
DBKK_DECISION = ("612", "QĐ-UBDT")  # number and symbol, registered from the plan's JSON

# username, full name, role code, unit: "commune", "district", "other_commune", "new_province"
# (tỉnh Quảng Ngãi from 1/7/2025), "country" (Việt Nam) or a village name.
DEMO_USERS = [
    ("hlhpn.batrang", "Đinh Thị Hoa", "commune_wu_officer", "commune"),
    ("ct.batrang", "Phạm Văn Thích", "commune_leader", "commune"),
    ("tt.nuocdang", "Đinh Văn Lành", "village_head", "Nước Đang"),
    ("ketoan.batrang", "Nguyễn Thị Thu Hằng", "commune_accountant", "commune"),
    ("yte.batrang", "Phạm Thị Hương", "commune_health_station", "commune"),
    ("yttb.buihui", "Phạm Thị Nhung", "village_health_worker", "Bùi Hui"),
    ("mttq.batrang", "Đinh Văn Bình", "fatherland_front", "commune"),
    ("hlhpn.bato", "Trần Thị Minh Nguyệt", "district_reviewer", "district"),
    ("hlhpn.bakham", "Phạm Thị Liên", "commune_wu_officer", "other_commune"),
    ("hlhpn.quangngai", "Lê Thị Thanh Hà", "province_reviewer", "new_province"),
    ("tw.hlhpn", "Nguyễn Thị Bình An", "national_reviewer", "country"),
]
ADMIN = ("admin", "Quản trị hệ thống")
# Who records the demo year of work (duan8/demo/data/ba_trang_2023_work.json).
DEMO_WORK_ACTORS = {
    "commune_wu_officer": "hlhpn.batrang",
    "village_head": "tt.nuocdang",
    "commune_leader": "ct.batrang",
}
# Who supervises and who answers in the demo (duan8/supervision/demo.py).
DEMO_SUPERVISION_ACTORS = {
    "fatherland_front": "mttq.batrang",
    "commune_wu_officer": "hlhpn.batrang",
    "commune_leader": "ct.batrang",
}
# Who records the demo money (duan8/finance/data/demo_ba_trang_2023.json).
DEMO_FINANCE_ACTORS = {
    "commune_accountant": "ketoan.batrang",
    "commune_wu_officer": "hlhpn.batrang",
    "commune_leader": "ct.batrang",
}
# Who proposes, verifies, approves and pays the demo mothers (demo/data/ba_trang_2023_mothers.json).
DEMO_MOTHERS_ACTORS = {
    "health_station": "yte.batrang",
    "village_health_worker": "yttb.buihui",
    "commune_wu_officer": "hlhpn.batrang",
    "commune_leader": "ct.batrang",
    "commune_accountant": "ketoan.batrang",
}
# Who writes and who reviews the demo reports (duan8/demo/data/ba_trang_2023_reports.json).
DEMO_REPORT_ACTORS = {
    "commune_wu_officer": "hlhpn.batrang",
    "district_reviewer": "hlhpn.bato",
}
# What each demo login can try, printed under the logins (paths of http://127.0.0.1:8000).
DEMO_TRIES = {
    "admin": gettext_lazy("Every page of every unit: users (/nguoi-dung/), audit log (/nhat-ky/)."),
    "hlhpn.batrang": gettext_lazy(
        "Record the commune's work (/thuc-hien/). Reports (/bao-cao/): the update due 31/01/2024 "
        "was returned, correct and resubmit it; the report due 15/12/2023 is approved, so editing "
        "a record of 1/1–15/12/2023 is refused."
    ),
    "ct.batrang": gettext_lazy(
        "Approve the plan, follow its progress (/tien-do/); counts only, no participants' names. "
        "Approve the mothers to be supported and the payment lists (/me-an-toan/)."
    ),
    "tt.nuocdang": gettext_lazy(
        "Record the work of thôn Nước Đang (/thuc-hien/); the other villages are not visible."
    ),
    "ketoan.batrang": gettext_lazy(
        "Pay the mothers of an approved payment list (/me-an-toan/): names, villages and amounts "
        "only; a payment is corrected by a reversal, never edited. Vouchers, allocation and "
        "disbursement of 2023 (/ngan-sach/); the year is settled, so no new 2023 voucher."
    ),
    "yte.batrang": gettext_lazy(
        "Propose mothers for the safe-motherhood packages (/me-an-toan/) with their health "
        "details; the proposal list template in Excel."
    ),
    "yttb.buihui": gettext_lazy(
        "Village health worker of thôn Bùi Hui: propose the mothers of her village only; her "
        "second proposal of Phạm Thị Lan was caught as a duplicate."
    ),
    "mttq.batrang": gettext_lazy(
        "Supervise: plan, progress, audit log (/nhat-ky/); counts only, no names. The 2023 "
        "supervision of the Nước Đang team: one recommendation answered, one overdue."
    ),
    "hlhpn.bato": gettext_lazy(
        "Reports of huyện Ba Tơ's communes (/bao-cao/): who reported on time, late or not at all "
        "in 2023; the approved 15/12/2023 report (unlocking needs a reason); dashboard of 2023 "
        "(/tong-quan/?year=2023)."
    ),
    "hlhpn.bakham": gettext_lazy(
        "Officer of another commune: xã Ba Trang's records and reports are not visible."
    ),
    "hlhpn.quangngai": gettext_lazy(
        "The new tỉnh Quảng Ngãi (from 1/7/2025): 2023 on today's map (/tong-quan/?year=2023), "
        "xã Ba Trang's figures appear under xã Đặng Thùy Trâm."
    ),
    "tw.hlhpn": gettext_lazy(
        "The central agencies: the whole country (/tong-quan/), each province's figures on "
        "either map, the provinces' reports and their completeness; counts only, no names."
    ),
}


class Command(BaseCommand):
    help = (
        "Load demo data: the map of Quảng Ngãi, xã Ba Trang's villages, the Dự án 8 structure, "
        "Kế hoạch 87/KH-UBND (Ba Trang, 2023) with a year of its work and its reports, and demo "
        "logins. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_geography", province=[PROVINCE], stdout=self.stdout)
        try:
            commune = org_unit_resolve(code=BA_TRANG, on=ISSUED_ON, level=OrgUnit.Level.COMMUNE)
            district = org_unit_resolve(code=BA_TO, on=ISSUED_ON, level=OrgUnit.Level.DISTRICT)
            other = org_unit_resolve(code=BA_KHAM, on=ISSUED_ON, level=OrgUnit.Level.COMMUNE)
            province = org_unit_resolve(code=PROVINCE, on=REFORMED_ON, level=OrgUnit.Level.PROVINCE)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from exc

        data = plan_data_read(BA_TRANG_2023)
        with transaction.atomic():
            usernames = [ADMIN[0], *(username for username, *_rest in DEMO_USERS)]
            known = set(
                User.objects.filter(username__in=usernames).values_list("username", flat=True)
            )
            admin = self.admin_ensure()
            villages = self.villages_ensure(commune=commune, data=data, actor=admin)
            for path in program_structure_files():
                count = program_structure_load(path=path)
                self.stdout.write(load_message(path, count))
            try:
                plan = plan_load(data=data, issuing_unit=commune, villages=villages)
            except PlanApprovedError as exc:  # approved in the UI since the last run: kept
                self.stdout.write(self.style.WARNING("\n".join(exc.messages)))
                plan = Plan.objects.get(
                    issuing_unit=commune,
                    year=data["year"],
                    number=data["number"],
                    symbol=data["symbol"],
                )
            except ValidationError as exc:
                raise CommandError("\n".join(exc.messages)) from exc
            else:
                self.stdout.write(
                    _("Plan %(reference)s of %(unit)s loaded.")
                    % {"reference": plan.reference, "unit": commune.full_name}
                )
            units = {
                "commune": commune,
                "district": district,
                "other_commune": other,
                "new_province": province,
                "country": national_root(),
            }
            units.update(villages)
            logins = [(admin, _("System administrator (all units)"), "—")]
            for username, full_name, role_code, unit_key in DEMO_USERS:
                unit = units[unit_key]
                user = self.user_ensure(username=username, full_name=full_name)
                role = Role.objects.get(code=role_code)
                Membership.objects.get_or_create(user=user, org_unit=unit, role=role)
                logins.append((user, role.name, unit.full_name))
            self.stdout.write(
                _("%(what)s: %(created)s created, %(existing)s already there.")
                % {
                    "what": _("Demo logins"),
                    "created": len(usernames) - len(known),
                    "existing": len(known),
                }
            )
            self.demo_work_ensure(plan=plan, villages=villages)
            # the money pays the work's events; before the reports (the approved report locks
            # 1/1–15/12/2023) and the mothers (their payments are vouchers on the allocation)
            self.demo_finance_ensure(commune=commune, plan=plan)
            self.demo_reports_ensure(commune=commune)
            self.demo_mothers_ensure(commune=commune, villages=villages)
            self.demo_finance_ensure(commune=commune, plan=plan, settlement=True)
            self.demo_supervision_ensure(commune=commune, villages=villages)
            successor = org_unit_resolve(code=BA_TRANG, on=REFORMED_ON, level=OrgUnit.Level.COMMUNE)
            for line in demo_assignment_ensure(province=province, commune=successor):
                self.stdout.write(line)
        self.logins_print(logins)

    def demo_reports_ensure(self, *, commune: OrgUnit) -> None:
        """Ba Trang's 2023 reports: one approved (its period locked), one returned."""
        actors = {key: User.objects.get(username=name) for key, name in DEMO_REPORT_ACTORS.items()}
        try:
            reports = demo_reports_load(unit=commune, actors=actors)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        self.stdout.write(_("Reports to the level above (demo):"))
        for demo in reports:
            for line in demo.lines():
                self.stdout.write(f"  {line}")

    def demo_supervision_ensure(self, *, commune: OrgUnit, villages: dict[str, OrgUnit]) -> None:
        """The Ba Trang MTTQ's 2023 supervision: one recommendation answered, one overdue."""
        actors = {
            key: User.objects.get(username=name) for key, name in DEMO_SUPERVISION_ACTORS.items()
        }
        try:
            tally = demo_supervision_load(commune=commune, villages=villages, actors=actors)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        self.stdout.write(_("Supervision by the Fatherland Front (demo):"))
        for line in tally.lines():
            self.stdout.write(f"  {line}")

    def demo_finance_ensure(
        self, *, commune: OrgUnit, plan: Plan, settlement: bool = False
    ) -> None:
        """Ba Trang's 2023 money (demo amounts); with ``settlement``, the year's settlement."""
        actors = {key: User.objects.get(username=name) for key, name in DEMO_FINANCE_ACTORS.items()}
        load = demo_settlement_load if settlement else demo_finance_load
        try:
            tally = load(commune=commune, plan=plan, actors=actors)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        title = (
            _("Settlement of %(year)s (demo):")
            if settlement
            else _("Money of %(year)s (demo amounts):")
        )
        self.stdout.write(title % {"year": plan.year})
        for line in tally.lines():
            self.stdout.write(f"  {line}")

    def demo_mothers_ensure(self, *, commune: OrgUnit, villages: dict[str, OrgUnit]) -> None:
        """Ba Trang's mothers of 2023, proposed, decided and paid through the services."""
        actors = {key: User.objects.get(username=name) for key, name in DEMO_MOTHERS_ACTORS.items()}
        try:
            tally = demo_mothers_load(commune=commune, villages=villages, actors=actors)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        self.stdout.write(_("Safe-motherhood packages (demo):"))
        for line in tally.lines():
            self.stdout.write(f"  {line}")

    def demo_work_ensure(self, *, plan: Plan, villages: dict[str, OrgUnit]) -> None:
        """Ba Trang's work in 2023, recorded through the services by the demo users."""
        self.stdout.write(
            _("%(count)s indicator rules loaded.") % {"count": indicator_rules_load()}
        )
        actors = {key: User.objects.get(username=name) for key, name in DEMO_WORK_ACTORS.items()}
        try:
            tally = demo_work_load(plan=plan, villages=villages, actors=actors)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("\n".join(messages)) from exc
        self.stdout.write(
            _("Work of %(year)s (demo), recorded by the demo users:") % {"year": plan.year}
        )
        for line in tally.lines():
            self.stdout.write(f"  {line}")

    def user_ensure(self, *, username: str, full_name: str, superuser: bool = False) -> User:
        user, _created = User.objects.get_or_create(username=username)
        user.full_name = full_name
        user.is_active = True
        user.is_staff = user.is_superuser = superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    def admin_ensure(self) -> User:
        username, full_name = ADMIN
        return self.user_ensure(username=username, full_name=full_name, superuser=True)

    def villages_ensure(
        self, *, commune: OrgUnit, data: dict[str, Any], actor: User
    ) -> dict[str, OrgUnit]:
        """The three villages of the plan, especially difficult from 16/9/2021 (QĐ 612/QĐ-UBDT)."""
        number, symbol = DBKK_DECISION
        decision_data = next(
            d for d in data["cited_documents"] if (d["number"], d["symbol"]) == (number, symbol)
        )
        decision = legal_document_register(
            kind=decision_data["kind"],
            number=decision_data["number"],
            symbol=decision_data["symbol"],
            issued_on=datetime.date.fromisoformat(decision_data["issued_on"]),
            issuer=decision_data["issuer"],
            title=decision_data["title"],
        )
        villages = {}
        for name in VILLAGES:
            village = commune.children.filter(level=OrgUnit.Level.VILLAGE, name=name).first()
            if village is None:
                village = village_create(commune=commune, name=name, actor=actor)
            key = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE
            if not village.attributes.filter(key=key, valid_from=DBKK_FROM).exists():
                org_unit_attribute_set(
                    unit=village, key=key, valid_from=DBKK_FROM, decision=decision, actor=actor
                )
            villages[name] = village
        return villages

    def logins_print(self, logins: list[tuple[User, str, str]]) -> None:
        headings = (_("Username"), _("Password"), _("Full name"), _("Role"), _("Unit"))
        rows = [
            (user.username, DEMO_PASSWORD, user.full_name, role, unit)
            for user, role, unit in logins
        ]
        widths = [max(len(str(row[i])) for row in [headings, *rows]) for i in range(len(headings))]
        line = "  ".join("-" * width for width in widths)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Demo logins (the same password for all):")))
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("What each login can try:")))
        width = widths[0]
        for user, _role, _unit in logins:
            if user.username in DEMO_TRIES:
                self.stdout.write(f"{user.username.ljust(width)}  {DEMO_TRIES[user.username]}")
