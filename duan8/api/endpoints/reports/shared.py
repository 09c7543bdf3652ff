"""What the reports area's modules share: the schema's tag of its endpoints."""

TAG = "Báo cáo và số liệu · Reports and figures"
