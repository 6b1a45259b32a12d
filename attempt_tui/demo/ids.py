"""Svix-style ids: a prefix plus a 27-character base62 KSUID.

The 20 KSUID bytes are: 4 bytes of seconds since the KSUID epoch, 3 bytes of
microseconds, 3 bytes of a world-wide sequence number and 10 pseudo-random
bytes. Because the alphabet is in ASCII order, ids of one prefix sort as
strings exactly as their (time, sequence) keys sort as integers, which is what
the list endpoints page on.
"""

from __future__ import annotations

KSUID_EPOCH = 1_400_000_000
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_CHARS = 27
SEQ_BITS = 24
_SEQ_MASK = (1 << SEQ_BITS) - 1
_RAND_BITS = 80
_M64 = (1 << 64) - 1
_DECODE = {c: i for i, c in enumerate(ALPHABET)}


def make_key(ts_us: int, seq: int) -> int:
    """The integer sort key of an item created at `ts_us` with sequence `seq`."""
    return (ts_us << SEQ_BITS) | (seq & _SEQ_MASK)


def key_ts_us(key: int) -> int:
    return key >> SEQ_BITS


def key_seq(key: int) -> int:
    return key & _SEQ_MASK


def ts_floor_key(ts_us: int) -> int:
    """The smallest key of anything created at `ts_us`."""
    return ts_us << SEQ_BITS


def mix64(x: int) -> int:
    """splitmix64 finaliser: a cheap, deterministic scramble of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def encode(prefix: str, key: int, salt: int) -> str:
    """The id of the item with `key`; `salt` (the world seed) picks the random tail."""
    ts_us = key >> SEQ_BITS
    seq = key & _SEQ_MASK
    seconds, micros = divmod(ts_us, 1_000_000)
    rand = (mix64((salt << 32) ^ seq) << 16) | (mix64(seq ^ salt ^ 0xA5A5) & 0xFFFF)
    value = (seconds - KSUID_EPOCH) & 0xFFFFFFFF
    value = (value << 24) | micros
    value = (value << 24) | seq
    value = (value << _RAND_BITS) | (rand & ((1 << _RAND_BITS) - 1))
    chars = []
    for _ in range(ID_CHARS):
        value, digit = divmod(value, 62)
        chars.append(ALPHABET[digit])
    return prefix + "".join(reversed(chars))


def _ksuid(prefix: str, value: str) -> tuple[int, int, int] | None:
    """(seconds, microseconds field, sequence field) of a well-formed id, else None."""
    if not value.startswith(prefix) or len(value) != len(prefix) + ID_CHARS:
        return None
    number = 0
    for char in value[len(prefix) :]:
        digit = _DECODE.get(char)
        if digit is None:
            return None
        number = number * 62 + digit
    if number >> 160:  # more than the 20 bytes of a KSUID
        return None
    number >>= _RAND_BITS
    seq = number & _SEQ_MASK
    number >>= 24
    return (number >> 24) + KSUID_EPOCH, number & 0xFFFFFF, seq


def decode(prefix: str, value: str) -> int | None:
    """The key inside an id of the given prefix, or None if it is not one this world makes."""
    parts = _ksuid(prefix, value)
    if parts is None:
        return None
    seconds, micros, seq = parts
    if micros >= 1_000_000:
        return None
    return make_key(seconds * 1_000_000 + micros, seq)


def position(prefix: str, value: str) -> int | None:
    """Where any well-formed id of the prefix sorts among this world's keys, else None.

    Ids from elsewhere (real Svix ids carry random bytes where this world keeps
    microseconds) are positions in time too. One whose microseconds field is out of
    range sorts after every id of its second and before the next second, which is the
    key of (next second, sequence 0): no item has sequence 0, so nothing sits on it.
    """
    parts = _ksuid(prefix, value)
    if parts is None:
        return None
    seconds, micros, seq = parts
    if micros >= 1_000_000:
        return ts_floor_key((seconds + 1) * 1_000_000)
    return make_key(seconds * 1_000_000 + micros, seq)
