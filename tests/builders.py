"""Plain data for engine tests: what a look-up returns, in the engine's own types."""

from __future__ import annotations

from flows.case import Nation
from flows.representatives import (
    Area,
    Contact,
    LookupResult,
    Ministers,
    Purpose,
    Representative,
    Role,
)


def mp(name: str, area: str, email: str = "someone.mp@parliament.uk",
       interests: tuple[str, ...] = ()) -> Representative:
    return Representative(role=Role.MP, name=name, area=area, party="Independent",
                          contact=Contact(email=email, phone="020 7219 0000",
                                          address="1 High Street", profile_url=None),
                          interests=interests)


def home(postcode: str, nation: Nation, *reps: Representative,
         purpose: Purpose = Purpose.HOME) -> LookupResult:
    area = Area(postcode=postcode, nation=nation, constituency=reps[0].area if reps else None)
    return LookupResult(purpose=purpose, area=area, representatives=reps)


def centre(postcode: str, rep: Representative) -> LookupResult:
    return LookupResult(purpose=Purpose.DETENTION_CENTRE,
                        area=Area(postcode=postcode, nation=Nation.ENGLAND), representatives=(rep,))


MINISTERS = Ministers(
    home_secretary=Representative(role=Role.HOME_SECRETARY, name="Test Home Secretary"),
    immigration_minister=Representative(role=Role.IMMIGRATION_MINISTER, name="Test Minister"),
)
