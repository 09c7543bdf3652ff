from tests.api_samples import ApiSample


class PlanQuery(str):
    """``plan=<id of xã Ba Trang's 2023 plan>``, read when the URL is built (inside the test,
    once the world exists): ``ApiSample.query`` is a fixed string, the plan's id is not."""

    def __str__(self) -> str:
        from duan8.programs.models import Plan

        plan = Plan.objects.filter(issuing_unit__code="21520", year=2023).order_by("pk").first()
        return f"plan={plan.pk if plan else 0}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


EXCHANGE = "dataSet=DA8_RESULTS&period=2023&orgUnit=VN-QD124-21520"

SAMPLES = {
    "api:report_list": ApiSample(lambda d: {}, "commune_officer", lists_data=True),
    "api:report_detail": ApiSample(lambda d: {"pk": d["reports"]["report"].pk}, "commune_officer"),
    "api:value_list": ApiSample(lambda d: {}, "commune_officer", query=PlanQuery("plan")),
    "api:data_value_sets": ApiSample(lambda d: {}, "commune_officer", query=EXCHANGE),
    "api:data_value_sets_adx": ApiSample(lambda d: {}, "commune_officer", query=EXCHANGE),
}
