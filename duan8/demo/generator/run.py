"""The entry point: which communes to fill, and the run (one transaction, one audit event)."""

import datetime
import random
import time

from django.db import transaction

from duan8.core import audit
from duan8.demo.generator.builder import Builder
from duan8.demo.generator.spec import DEMO_MARK, OLD_END, SCALES, GenerateResult
from duan8.demo.generator.villages import copies_ensure, demo_delete, villages_ensure
from duan8.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession
from duan8.programs.models import Plan

# --- the entry point ---------------------------------------------------------------------------


def communes_for(
    scale: str, *, province: str | None, commune: str | None, rng: random.Random
) -> list[OrgUnit]:
    """The old (QĐ 124/2004) communes to fill, in code order."""
    qs = OrgUnit.objects.filter(
        level=OrgUnit.Level.COMMUNE, code_scheme=OrgUnit.CodeScheme.QD124_2004
    )
    if scale == "commune":
        return list(qs.filter(code=commune))
    if province is not None:
        # The old communes whose data went to a commune of the new province.
        qs = qs.filter(
            successions_out__successor__parent__code_scheme=OrgUnit.CodeScheme.QD19_2025,
            successions_out__successor__parent__code=province,
            successions_out__is_primary=True,
        )
    communes = list(qs.select_related("parent__parent").order_by("code"))
    wanted = SCALES[scale].communes
    if wanted is not None and len(communes) > wanted:
        communes = sorted(rng.sample(communes, wanted), key=lambda c: c.code)
    return communes


def demo_generate(
    *,
    scale: str,
    year_from: int = 2021,
    year_to: int = 2025,
    seed: int = 8,
    province: str | None = "51",
    commune: str = "21520",
) -> GenerateResult:
    """Fill communes with synthetic records, in one transaction; see the module's docstring. The
    map (the province, or the country for ``national``), the program structure and the indicator
    rules must be loaded (the command loads them). ``seconds`` counts the commit: PostgreSQL
    checks the rows' references to other rows then (Django's foreign keys are deferred)."""
    started = time.perf_counter()
    with transaction.atomic():
        result = _generate(scale, year_from, year_to, seed, province, commune)
    result.seconds = time.perf_counter() - started
    return result


def _generate(
    scale: str, year_from: int, year_to: int, seed: int, province: str | None, commune: str
) -> GenerateResult:
    rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
    spec = SCALES[scale]
    result = GenerateResult(scale=scale, seed=seed, years=(year_from, year_to))
    communes = communes_for(
        scale, province=None if scale == "national" else province, commune=commune, rng=rng
    )
    result.communes = len(communes)
    successors = {
        s.predecessor_id: s.successor
        for s in OrgUnitSuccession.objects.filter(
            predecessor__in=communes, is_primary=True
        ).select_related("successor__parent")
    }
    new_communes = sorted({s.pk: s for s in successors.values()}.values(), key=lambda c: c.code)
    result.new_communes = len(new_communes)
    result.deleted = demo_delete([*communes, *new_communes])
    real = set(
        Plan.objects.filter(issuing_unit__in=[*communes, *new_communes])
        .exclude(proposal=DEMO_MARK)
        .values_list("issuing_unit_id", "year")
    )
    villages = villages_ensure(rng, communes, spec, result)
    after_reform = year_to >= REFORM_DATE.year and bool(new_communes)
    copies = (
        copies_ensure(villages, successors, result) if after_reform and spec.copy_villages else {}
    )

    builder = Builder(rng, spec, (year_from, year_to))
    today = builder.today
    for old in communes:
        years, windows = [], {}
        for year in range(year_from, min(year_to, REFORM_DATE.year) + 1):
            end = min(datetime.date(year, 12, 31), OLD_END, today)
            if (old.pk, year) in real:
                result.skipped.append(f"{old.full_name} {year}")
            elif end >= datetime.date(year, 1, 1):
                years.append(year)
                windows[year] = (datetime.date(year, 1, 1), end)
        district = old.parent
        province_code = district.parent.code if district and district.parent else ""
        above = f"UBND {district.full_name}" if district else ""
        builder.commune(
            old, villages[old.pk], province_code, above, years, windows, found_groups=True
        )
        builder.write_if_full(result)
    for new in new_communes:
        years, windows = [], {}
        for year in range(max(year_from, REFORM_DATE.year), year_to + 1):
            end = min(datetime.date(year, 12, 31), today)
            if (new.pk, year) in real:
                result.skipped.append(f"{new.full_name} {year}")
            elif end >= max(REFORM_DATE, datetime.date(year, 1, 1)):
                years.append(year)
                windows[year] = (max(REFORM_DATE, datetime.date(year, 1, 1)), end)
        above = f"UBND {new.parent.full_name}" if new.parent else ""
        province_code = new.parent.code if new.parent else ""
        # The groups of the old villages carry on; the new commune founds none of its own.
        builder.commune(
            new, copies.get(new.pk, []), province_code, above, years, windows, found_groups=False
        )
        builder.write_if_full(result)
    builder.write(result)
    audit.record(
        actor=None,
        actor_name="generate_demo",
        action="reports.demo.generated",
        message=(
            f"scale={scale} seed={seed} years={year_from}-{year_to} communes={result.communes} "
            f"new_communes={result.new_communes} villages_created={result.villages_created} "
            + " ".join(f"{k}={v}" for k, v in sorted(result.rows.items()))
        ),
    )
    return result
