from offices.models.errands import Errand, ErrandEvent, RefundRequest
from offices.models.offices import Clerk, ErrandShare, OfficePayout, PartnerOffice
from offices.models.regions import Region

__all__ = [
    "Clerk", "Errand", "ErrandEvent", "ErrandShare", "OfficePayout", "PartnerOffice",
    "RefundRequest", "Region",
]
