from offices.models.counter import CounterBasket, CounterPayment, CounterRefund, CounterRefundOwed
from offices.models.errands import Errand, ErrandEvent, RefundRequest
from offices.models.offices import Clerk, CounterOrder, ErrandShare, OfficePayout, PartnerOffice
from offices.models.regions import Region

__all__ = [
    "Clerk", "CounterBasket", "CounterOrder", "CounterPayment", "CounterRefund", "CounterRefundOwed",
    "Errand", "ErrandEvent",
    "ErrandShare", "OfficePayout", "PartnerOffice", "RefundRequest", "Region",
]
