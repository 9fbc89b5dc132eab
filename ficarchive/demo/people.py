"""Demo users and their pseuds, made up front, and the draw of each work's creators: a few
prolific creators, many with a work or two, and now and then co-creators."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from ficarchive.demo.distributions import Zipf
from ficarchive.demo.names import Namer

USER_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
PSEUD_FIELDS = ("id", "user", "name", "description", "is_default", "created_at")
USERS_PER_WORK = 0.3
# Works per creator follow a power law; the offset keeps the most prolific creator near 0.5 %
# of all works.
CREATOR_SLOPE, CREATOR_OFFSET = 1.0, 20.0


class People:
    """User and pseud rows, and the draw of creators for a work."""

    def __init__(
        self,
        rng: random.Random,
        namer: Namer,
        user_ids: Iterator[int],
        pseud_ids: Iterator[int],
        works: int,
        joined_before: dt.datetime,
    ):
        self.rng = rng
        self.users: list[tuple[object, ...]] = []
        self.pseuds: list[tuple[object, ...]] = []
        # Per user: the default pseud's id, then the others.
        self.pseuds_of: list[list[int]] = []
        for _ in range(max(10, int(works * USERS_PER_WORK))):
            user_id = next(user_ids)
            login = namer.login()
            # Unusable passwords, as Django marks them: demo users cannot log in.
            password = f"!{rng.getrandbits(160):040x}"
            joined = joined_before - dt.timedelta(seconds=rng.randrange(2 * 365 * 86_400))
            email = f"{login}@example.invalid"
            row = (user_id, password, None, False, login, "", "", email, False, True, joined)
            self.users.append(row)
            # About one user in nine writes under a second or third pseud.
            roll = rng.random()
            extra = 2 if roll < 0.03 else 1 if roll < 0.12 else 0
            used = {login.lower()}
            names = [login] + [namer.pseud(login, used) for _ in range(extra)]
            ids = []
            for position, name in enumerate(names):
                pseud_id = next(pseud_ids)
                self.pseuds.append((pseud_id, user_id, name, "", position == 0, joined))
                ids.append(pseud_id)
            self.pseuds_of.append(ids)
        self.law = Zipf(len(self.pseuds_of), CREATOR_SLOPE, CREATOR_OFFSET)

    def creators(self) -> list[int]:
        """Pseud ids of one work's creators: usually one, sometimes two or three users."""
        rng = self.rng
        roll = rng.random()
        wanted = 3 if roll < 0.01 else 2 if roll < 0.05 else 1
        users: list[int] = []
        for _ in range(2 * wanted + 2):
            if len(users) >= wanted:
                break
            user = self.law.draw(rng)
            if user not in users:
                users.append(user)
        pseuds = []
        for user in users:
            own = self.pseuds_of[user]
            pseuds.append(own[0] if len(own) == 1 or rng.random() < 0.7 else rng.choice(own[1:]))
        return pseuds
