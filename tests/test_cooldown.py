"""Per-user cooldown: a burst is cut off with one notice, and idle users are forgotten."""

from bot.state.cooldown import PRUNE_EVERY, UserCooldown


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_rate_commands_then_refuses_with_one_notice() -> None:
    clock = FakeClock()
    cooldown = UserCooldown(rate=3, per=10.0, clock=clock)
    verdicts = [cooldown.hit(1) for _ in range(6)]
    assert [v.allowed for v in verdicts] == [True, True, True, False, False, False]
    assert [v.notify for v in verdicts[3:]] == [True, False, False]
    assert 0 < verdicts[3].retry_after <= 10.0


def test_users_are_counted_separately() -> None:
    cooldown = UserCooldown(rate=1, per=10.0, clock=FakeClock())
    assert cooldown.hit(1).allowed
    assert cooldown.hit(2).allowed
    assert not cooldown.hit(1).allowed


def test_window_reopens_after_the_period() -> None:
    clock = FakeClock()
    cooldown = UserCooldown(rate=1, per=10.0, clock=clock)
    cooldown.hit(1)
    assert not cooldown.hit(1).allowed
    clock.now += 10.0
    verdict = cooldown.hit(1)
    assert verdict.allowed
    clock.now += 0.1
    assert cooldown.hit(1).notify  # a new window earns a new notice


def test_idle_users_are_forgotten_so_memory_stays_flat() -> None:
    clock = FakeClock()
    cooldown = UserCooldown(rate=1, per=1.0, clock=clock)
    for user in range(PRUNE_EVERY - 1):
        cooldown.hit(user)
    assert len(cooldown) == PRUNE_EVERY - 1
    clock.now += 5.0
    cooldown.hit(10**9)
    assert len(cooldown) == 1
