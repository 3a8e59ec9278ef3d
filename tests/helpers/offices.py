"""Partner offices for tests: offices with hours, clerks, an errand service and an errand."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from offices.models import Clerk, Errand, PartnerOffice, Region
from offices.regions_data import seed as seed_regions
from services_catalog.models import ServiceCategory
from tests.factories_services import make_area, make_category, make_service
from tests.helpers.roles import make_role_user

_n = itertools.count(1)
ALL_DAYS = "0123456"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def region(code: str) -> Region:
    if not Region.objects.exists():  # a transactional test before this one flushed the seeded table
        seed_regions(Region)
    return Region.objects.get(code=code)


def make_office(county: str, *, services=(), open_days: str = ALL_DAYS, opens=datetime.time(0),
                closes=datetime.time(23, 59), kind: str = PartnerOffice.Kind.ICT, active: bool = True,
                lat: float | None = None, lng: float | None = None, name: str | None = None) -> PartnerOffice:
    n = next(_n)
    place = region(county)
    office = PartnerOffice.objects.create(
        code=f"test-office-{n}", kind=kind, name=name or f"دفتر آزمایشی {n}", name_en=name or f"Test office {n}",
        province=place.parent, county=place, address=f"{place.name}، خیابان {n}",
        latitude=Decimal(str(lat)) if lat is not None else place.latitude,
        longitude=Decimal(str(lng)) if lng is not None else place.longitude,
        open_days=open_days, opens_at=opens, closes_at=closes, phone=f"0912000{n:04d}",
        email=f"office{n}@example.com", is_active=active,
    )
    office.services.set(list(services))
    return office


def make_clerk(office: PartnerOffice, **fields):
    user = make_role_user("clerk", **fields)
    Clerk.objects.create(user=user, office=office)
    return user


def make_errand_service(*provinces: str, price: str = "100.00", power_of_attorney: bool = True):
    """An upfront, fixed-price errand service offered in one area that `provinces` map to."""
    area = make_area()
    service = make_service(
        category=make_category(kind=ServiceCategory.Kind.ERRAND), base_price=price,
        payment_rule="upfront", areas=[area],
        required_documents=[("وکالت‌نامه", True)] if power_of_attorney else [("تصویر کارت ملی", False)],
    )
    region(provinces[0])
    Region.objects.filter(code__in=provinces).update(area=area)
    return service


def scan(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def file_errand(clerk, customer, service, county: str = "shiraz-county", **kwargs) -> Errand:
    from offices.services import errand_file

    requirement = service.required_documents.first()
    defaults = {
        "address": "شیراز، خیابان زند، اداره ثبت", "description": "گرفتن گواهی",
        "documents": [{"requirement": requirement, "file": scan()}],
        "originals": Errand.Originals.POST if requirement.original_needed else Errand.Originals.NONE,
        "tracking_number": "PT-123456789" if requirement.original_needed else "",
    }
    return errand_file(clerk_user=clerk, customer=customer, service=service, county=region(county),
                       **{**defaults, **kwargs})


def make_clerk_office(user) -> PartnerOffice:
    """Tie an existing clerk-role user to a fresh office (the permission matrix's clerk)."""
    office = make_office("tehran-county")
    Clerk.objects.create(user=user, office=office)
    return office
