"""Benchmark of e-license verification: the whole QR-token path against raw signature checks.

Usage: .venv/bin/python bench/licenses.py [--quick]

Measures, in one process, alternating small blocks of each and counting the CPU time of this
process (so that load from other processes does not fall on one side; rates are per CPU second
of one core; the ratio is total raw time over total path time):
1. raw Ed25519 verification with ``cryptography`` (prepared public key objects, the same
   messages and signatures as the tokens carry);
2. the whole offline verification path of ``zwfw.licenses.signing.token_verify`` for Ed25519
   tokens: strict base64url decoding, JSON parsing (refusing duplicate keys), key lookup,
   issuer check, signature, Bitstring Status List check (revocation and suspension, 131,072
   bits each) and the validity period;
3. the same path for SM2/SM3 tokens (gmssl-pyx), and raw SM2 verification for comparison.

The online endpoint adds one indexed query for the license's live standing; it is not part of
these figures. The last three lines are ``verify.ratio_to_raw_ed25519 = …`` (2 / 1),
``verify.ed25519_per_s = …`` and ``verify.sm2_per_s = …``.
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from zwfw.licenses import signing  # noqa: E402  (pure module: no Django needed)


def _tokens(algorithm: str, count: int) -> tuple[signing.KeyRing, signing.StatusView, list[str]]:
    """``count`` realistic tokens signed by one key, with the key ring and status lists."""
    pair = signing.keypair_generate(algorithm)
    key = signing.PublishedKey.make(
        kid=f"bench-{algorithm}", algorithm=algorithm, public=pair.public, issuer_id="urn:zwfw:agency:1"
    )
    statuses = signing.StatusView()
    revocation = bytearray(signing.STATUS_LIST_BITS // 8)
    signing.bit_set(revocation, 4242, True)  # some other license is revoked
    statuses.add("1", "revocation", bytes(revocation))
    statuses.add("1", "suspension", bytes(signing.STATUS_LIST_BITS // 8))
    tokens = []
    for i in range(count):
        claims = {
            "v": 1,
            "id": f"53280120261127{i:06d}",
            "ty": "food-business-license",
            "tn": "食品经营许可证",
            "is": "urn:zwfw:agency:1",
            "in": "景洪市市场监督管理局",
            "h": "玉香",
            "hid": "5328**********123X",
            "vf": "2026-11-27",
            "vu": "2031-11-26",
            "s": ["1", secrets.randbelow(signing.STATUS_LIST_BITS)],
        }
        tokens.append(signing.token_sign(claims, key=key, private=pair.private))
    return signing.KeyRing([key]), statuses, tokens


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run (a few seconds)")
    args = parser.parse_args()
    blocks = 30 if args.quick else 300
    today = "2027-03-01"

    ring, statuses, tokens = _tokens(signing.ED25519, 100)
    key = next(iter(ring.keys.values()))
    assert key._ed is not None
    raw_pairs = []
    for token in tokens:
        head, _dot, sig = token.rpartition(".")
        raw_pairs.append((head.encode(), signing.b64u_decode(sig)))
    assert all(signing.token_verify(t, keys=ring, statuses=statuses, today=today).valid for t in tokens)
    print(f"token length: {len(tokens[0])} characters (QR payload)")

    ed = key._ed

    def raw() -> None:
        for message, signature in raw_pairs:
            ed.verify(signature, message)

    def path() -> None:
        for token in tokens:
            if not signing.token_verify(token, keys=ring, statuses=statuses, today=today).valid:
                raise AssertionError("a genuine token failed")

    raw_s, path_s = _interleaved(raw, path, blocks)
    n_ed = blocks * len(tokens)
    print(f"raw Ed25519 (cryptography): {n_ed / raw_s:,.0f}/s; whole path: {n_ed / path_s:,.0f}/s")

    sm_ring, sm_statuses, sm_tokens = _tokens(signing.SM2, 20)
    sm_key = next(iter(sm_ring.keys.values()))
    sm_pairs = []
    for token in sm_tokens:
        head, _dot, sig = token.rpartition(".")
        sm_pairs.append((head.encode(), signing.b64u_decode(sig)))

    def sm_raw() -> None:
        for message, signature in sm_pairs:
            sm_key.verify(message, signature)

    def sm_path() -> None:
        for token in sm_tokens:
            if not signing.token_verify(token, keys=sm_ring, statuses=sm_statuses, today=today).valid:
                raise AssertionError("a genuine SM2 token failed")

    sm_raw_s, sm_path_s = _interleaved(sm_raw, sm_path, max(blocks // 2, 5))
    n_sm = max(blocks // 2, 5) * len(sm_tokens)
    print(f"raw SM2 (gmssl-pyx): {n_sm / sm_raw_s:,.0f}/s; whole SM2 path: {n_sm / sm_path_s:,.0f}/s")
    print(f"verify.ratio_to_raw_ed25519 = {raw_s / path_s:.3f}")
    print(f"verify.ed25519_per_s = {n_ed / path_s:.0f}")
    print(f"verify.sm2_per_s = {n_sm / sm_path_s:.0f}")


def _interleaved(first: Callable[[], None], second: Callable[[], None], blocks: int) -> tuple[float, float]:
    """CPU seconds of ``first`` and ``second``, run alternately in small blocks (order swapped
    every block). CPU time of this process, not wall time: on a shared machine the time spent
    waiting for a core is not the code's, and would fall on either side at random."""
    totals = [0.0, 0.0]
    for block in range(blocks):
        order = ((0, first), (1, second)) if block % 2 == 0 else ((1, second), (0, first))
        for slot, fn in order:
            start = time.process_time()
            fn()
            totals[slot] += time.process_time() - start
    return totals[0], totals[1]


if __name__ == "__main__":
    main()
