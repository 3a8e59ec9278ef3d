"""Customer profiles, subscription codes and the operator's find-or-create by phone (A1, A2, A5, A6)."""

from __future__ import annotations

import importlib
import threading

import pytest
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction

from core.errors import DomainError
from customers import services
from customers.errors import EmailInUse, InvalidPhone, OperatorRequired, WrongCode
from customers.models import CustomerProfile
from customers.phone_services import phone_code_confirm
from customers.phone_services import profile_change as phone_change
from notifications.models import Message
from notifications.services import messages_for
from tests.factories import UserFactory
from tests.factories_customers import StaffFactory, customer_with, operator, sms_outbox  # noqa: F401
from tests.helpers.accounts import sms_code
from tests.helpers.roles import make_role_user

User = get_user_model()
pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ profiles and codes
def test_every_new_account_gets_a_profile_with_a_subscription_code_A1_A6():
    user = User.objects.create_user(username="newcomer", email="newcomer@example.com", password="x-pass-123")
    profile = CustomerProfile.objects.get(user=user)
    assert profile.subscription_code.startswith("CH-") and len(profile.subscription_code) == 9
    assert profile.tier == CustomerProfile.Tier.REGISTERED
    assert profile.preferred_language == "fa"
    assert profile.phone is None
    assert services.profile_for(user) == profile


def test_seeded_accounts_all_have_profiles_and_codes_are_unique():
    assert not User.objects.filter(profile__isnull=True).exists()
    codes = list(CustomerProfile.objects.values_list("subscription_code", flat=True))
    assert len(codes) == len(set(codes)) > 0


def test_a_subscription_code_that_is_taken_is_drawn_again_A6(monkeypatch):
    taken = services.profile_for(UserFactory()).subscription_code
    draws = iter([taken, taken, "CH-FRESH2"])
    monkeypatch.setattr(services, "generate_subscription_code", lambda: next(draws))
    profile = services.profile_for(UserFactory())
    assert profile.subscription_code == "CH-FRESH2"


def test_the_database_refuses_two_profiles_with_one_code():
    first = services.profile_for(UserFactory())
    second = services.profile_for(UserFactory())
    second.subscription_code = first.subscription_code
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_database_refuses_a_phone_number_that_is_not_normalised():
    profile = services.profile_for(UserFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerProfile.objects.filter(pk=profile.pk).update(phone="09121234567")


def test_a_user_inserted_without_signals_gets_a_profile_on_first_use():
    User.objects.bulk_create([User(username="bulk-1", email="bulk-1@example.com")])
    user = User.objects.get(username="bulk-1")
    assert not CustomerProfile.objects.filter(user=user).exists()
    assert services.profile_for(user).subscription_code.startswith("CH-")
    assert services.profile_for(User.objects.get(pk=user.pk)).pk == CustomerProfile.objects.get(user=user).pk


def test_the_data_migration_gives_accounts_that_existed_before_a_profile():
    migration = importlib.import_module("customers.migrations.0002_profiles_for_existing_users")
    User.objects.bulk_create([User(username=f"old-{i}", email=f"old-{i}@example.com") for i in range(3)])
    before = CustomerProfile.objects.count()
    migration.create_missing_profiles(global_apps, None)
    assert CustomerProfile.objects.count() == before + 3
    assert not User.objects.filter(profile__isnull=True).exists()
    migration.create_missing_profiles(global_apps, None)  # running it again adds nothing
    assert CustomerProfile.objects.count() == before + 3


# ------------------------------------------------------------------ finding customers
def test_an_operator_finds_a_customer_by_phone_in_any_spelling_A2():
    customer = customer_with(phone="+989121110000")
    for spelling in ("09121110000", "۰۹۱۲ ۱۱۱ ۰۰۰۰", "+98 912 111 0000", "912-111-0000"):
        assert services.customer_find(query=spelling) == customer


def test_an_operator_finds_a_customer_by_subscription_code_A6():
    customer = customer_with(phone=None)
    code = customer.profile.subscription_code
    for spelling in (code, code.lower(), code[3:], code.replace("-", " ")):
        assert services.customer_find(query=spelling) == customer


def test_finding_an_unknown_number_or_nonsense_returns_nobody():
    assert services.customer_find(query="09120000001") is None
    assert services.customer_find(query="CH-ZZZZZZ") is None
    assert services.customer_find(query="hello") is None
    assert services.customer_find(query="") is None


# ------------------------------------------------------------------ find or create (A2, A5)
def test_a_phoned_in_customer_is_created_once_and_welcomed_by_sms_once_A2(
    operator, sms_outbox, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        user, created = services.customer_find_or_create_by_phone(
            phone="۰۹۱۲ ۳۳۳ ۴۴۵۵", name="مریم  احمدی", operator=operator
        )
    assert created is True
    profile = user.profile
    assert profile.phone == "+989123334455"
    assert profile.tier == CustomerProfile.Tier.ONE_OFF  # A5
    assert user.username == profile.subscription_code
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("مریم", "احمدی")
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+989123334455"
    assert profile.subscription_code in sms_outbox[0].body
    assert "کد اشتراک" in sms_outbox[0].body  # Persian: the default language

    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = services.customer_find_or_create_by_phone(phone="09123334455", operator=operator)
    assert (again, created_again) == (user, False)
    assert len(sms_outbox) == 1
    assert messages_for(event="customers_welcome", to="+989123334455").count() == 1


def test_a_new_customer_given_an_email_gets_the_welcome_email_too(
    operator, sms_outbox, mailoutbox, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        user, created = services.customer_find_or_create_by_phone(
            phone="09124445566", email="sara@example.com", name="Sara", operator=operator, language="en"
        )
    assert created and user.email == "sara@example.com"
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sara@example.com"]
    assert user.profile.subscription_code in mail.subject
    assert "Hello Sara," in mail.body and "/en/account/" in mail.body
    assert sms_outbox[0].body.startswith("Welcome to Chaarsoo.")


def test_an_existing_customer_found_by_phone_is_returned_unchanged(operator, sms_outbox):  # noqa: F811
    customer = customer_with(phone="+989125556677", first_name="Old", tier="loyal")
    user, created = services.customer_find_or_create_by_phone(
        phone="0912 555 6677", name="New Name", operator=operator
    )
    assert (user, created) == (customer, False)
    user.refresh_from_db()
    assert user.first_name == "Old" and user.profile.tier == "loyal"
    assert messages_for(event="customers_welcome").filter(recipient=customer).count() == 0


@pytest.mark.parametrize("who", ["nobody", "anonymous", "customer", "bare_staff", "finance", "editor", "agent"])
def test_only_staff_operators_may_register_customers_by_phone(who):
    """Phone intake needs the operator's `file_for_caller` ability: `is_staff` alone, or
    another staff role (finance, content editor, support agent), is not enough."""
    operator = {  # noqa: F811
        "nobody": lambda: None,
        "anonymous": AnonymousUser,
        "customer": UserFactory,
        "bare_staff": lambda: make_role_user(is_staff=True),
        "finance": lambda: make_role_user("finance"),
        "editor": lambda: make_role_user("editor"),
        "agent": lambda: make_role_user("agent"),
    }[who]()
    with pytest.raises(OperatorRequired) as caught:
        services.customer_find_or_create_by_phone(phone="09126667788", operator=operator)
    assert isinstance(caught.value, DomainError)
    assert caught.value.code == "permission_denied" and caught.value.status_code == 403
    assert not CustomerProfile.objects.filter(phone="+989126667788").exists()


def test_find_or_create_refuses_a_number_that_cannot_be_texted(operator):  # noqa: F811
    with pytest.raises(InvalidPhone):
        services.customer_find_or_create_by_phone(phone="021 1234 5678", operator=operator)


def test_find_or_create_refuses_the_email_of_another_customer(operator):  # noqa: F811
    UserFactory(email="taken@example.com")
    with pytest.raises(EmailInUse) as caught:
        services.customer_find_or_create_by_phone(phone="09127778899", email="Taken@example.com", operator=operator)
    assert caught.value.code == "email_in_use"
    assert not CustomerProfile.objects.filter(phone="+989127778899").exists()


# ------------------------------------------------------------------ changing the profile
def test_a_number_another_account_uses_is_answered_like_a_free_one_and_never_taken():
    """Issue 14 point 2: no "in use" answer; the holder is told by SMS; no code is sent to me."""
    owner = customer_with(phone="+989128889900")
    me = customer_with(phone="+989120001122")
    profile, texted = phone_change(user=me, phone="09128889900", preferred_language="fa")
    assert texted is not None and texted.phone == "+989128889900"
    assert profile.phone == "+989120001122"
    assert not Message.objects.filter(event="customers_phone_code").exists()
    warned = Message.objects.get(event="customers_phone_claim_attempt")
    assert (warned.to, warned.recipient) == ("+989128889900", owner)
    with pytest.raises(WrongCode):
        phone_code_confirm(user=me, code="000000")
    me.profile.refresh_from_db()
    assert me.profile.phone == "+989120001122"


def test_a_customer_changes_their_number_once_the_texted_code_comes_back():
    me = customer_with(phone=None)
    profile, texted = phone_change(user=me, phone="۰۹۱۲ ۰۰۰ ۳۳۴۴", preferred_language="en")
    assert (profile.phone, profile.preferred_language) == (None, "en")
    profile = phone_code_confirm(user=me, code=sms_code("+989120003344"))
    assert profile.phone == "+989120003344" and profile.phone_verified_at is not None
    profile = services.profile_update(user=me, preferred_language="fa", remove_phone=True)
    assert profile.phone is None and profile.phone_verified_at is None


def test_staff_move_a_customer_to_the_loyal_tier_A5(operator):  # noqa: F811
    me = customer_with()
    assert services.customer_set_tier(user=me, tier="loyal", operator=operator).is_loyal
    with pytest.raises(OperatorRequired):
        services.customer_set_tier(user=me, tier="one_off", operator=me)


def test_the_demo_seed_gives_the_demo_customer_a_number_and_changes_nothing_when_run_again():
    from customers import demo

    class Command:
        quiet = True

    customer = User.objects.get(username="customer")
    assert customer.profile.phone == demo.DEMO_CUSTOMER_PHONE
    before = list(CustomerProfile.objects.order_by("pk").values_list("pk", "subscription_code", "phone", "updated"))
    demo.seed(Command())
    after = list(CustomerProfile.objects.order_by("pk").values_list("pk", "subscription_code", "phone", "updated"))
    assert before == after


# ------------------------------------------------------------------ concurrency (PostgreSQL)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_operators_registering_one_number_at_once_create_one_customer(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises every write)")
    settings.CHAARSOO_SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    operators = [StaffFactory(), StaffFactory()]
    outcomes: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def register(operator):  # noqa: F811
        from django.db import connections

        try:
            barrier.wait()
            user, created = services.customer_find_or_create_by_phone(phone="09129990000", operator=operator)
            outcomes.append((user.pk, created))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(op,)) for op in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(created for _pk, created in outcomes) == [False, True]
    assert len({pk for pk, _created in outcomes}) == 1
    assert CustomerProfile.objects.filter(phone="+989129990000").count() == 1
    assert Message.objects.filter(event="customers_welcome", to="+989129990000").count() == 1
