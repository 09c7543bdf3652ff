from tests.api_samples import ApiSample

SAMPLES = {
    "api:orgunit_list": ApiSample(lambda d: {}, "commune_officer", lists_data=True),
    "api:orgunit_detail": ApiSample(lambda d: {"pk": d["ba_trang"].pk}, "commune_officer"),
}
