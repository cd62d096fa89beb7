"""Unknown message types, wrongly signed messages and malformed frames do not kill the kernel."""

import json
import unittest
import uuid

from jupyter_client.session import Session

from jtune_it import KernelTestCase


class RobustnessTest(KernelTestCase):

    def stray_shell_replies(self):
        """Shell messages received that answer none of our requests (dropped frames must not reply)."""
        self.k._pump("shell", 0.2)
        ours = self.k.kc.session.session
        # late kernel_info_replies to wait_for_ready's requests are ours; anything else is a stray
        return {k: v["msg_type"] for k, v in self.k.by_parent["shell"].items()
                if (v.get("parent_header") or {}).get("session") != ours}

    def test_unknown_message_type(self):
        mid = self.k.send("jtune_no_such_request", {"x": 1})
        rep = self.k.maybe_reply(mid, timeout=10)
        self.k.iopub_so_far(mid, 0.5)
        self.assertIsNotNone(rep, "no reply to an unknown message type jtune_no_such_request")
        self.assertEqual(rep["content"].get("status"), "error", rep)
        self.assertAlive()

    def test_wrong_signature_is_ignored(self):
        self.k.ok("int sigProbe = 0;")
        session = self.k.kc.session
        bad = Session(key=b"not-the-kernel-key-" + uuid.uuid4().hex.encode(), username=session.username,
                      session=session.session, signature_scheme="hmac-sha256")
        msg = bad.msg("execute_request", {"code": "sigProbe = 42;", "silent": False, "store_history": True,
                                          "user_expressions": {}, "allow_stdin": False,
                                          "stop_on_error": True})
        bad.send(self.k.kc.shell_channel.socket, msg)
        mid = msg["header"]["msg_id"]
        self.assertIsNone(self.k.maybe_reply(mid, timeout=3), "kernel replied to a badly signed request")
        self.assertEqual(self.k.iopub_so_far(mid, 0.5), [], "kernel published output for a badly signed request")
        self.assertEqual(self.k.value("sigProbe"), "0", "badly signed execute_request was executed")
        # also unsigned (empty signature) while the kernel has a key
        unsigned = Session(key=b"", username=session.username, session=session.session)
        msg = unsigned.msg("execute_request", {"code": "sigProbe = 43;", "silent": False,
                                               "store_history": True, "user_expressions": {},
                                               "allow_stdin": False, "stop_on_error": True})
        unsigned.send(self.k.kc.shell_channel.socket, msg)
        self.assertIsNone(self.k.maybe_reply(msg["header"]["msg_id"], timeout=3),
                          "kernel replied to an unsigned request")
        self.assertEqual(self.k.value("sigProbe"), "0", "unsigned execute_request was executed")
        # and on the control channel: a wrongly signed shutdown_request must not stop the kernel
        msg = bad.msg("shutdown_request", {"restart": False})
        bad.send(self.k.kc.control_channel.socket, msg)
        self.assertIsNone(self.k.maybe_reply(msg["header"]["msg_id"], "control", timeout=3))
        self.assertAlive()
        self.assertTrue(self.k.km.is_alive())

    def test_malformed_frames(self):
        session = self.k.kc.session
        sock = self.k.kc.shell_channel.socket
        header = session.pack(session.msg_header("kernel_info_request"))
        noheader_type = json.dumps({"msg_id": uuid.uuid4().hex, "session": session.session,
                                    "username": "x", "version": "5.4"}).encode()

        def signed(parts):
            return [b"<IDS|MSG>", session.sign(parts)] + parts

        frame_sets = {
            "no delimiter": [b"just garbage"],
            "nothing after delimiter": [b"<IDS|MSG>"],
            "truncated": [b"<IDS|MSG>", b"sig", header],
            "invalid JSON header": signed([b"{not json", b"{}", b"{}", b"{}"]),
            "invalid JSON content": signed([header, b"{}", b"{}", b"{\"code\": "]),
            "header is an array": signed([b"[1, 2, 3]", b"{}", b"{}", b"{}"]),
            "header without msg_type": signed([noheader_type, b"{}", b"{}", b"{}"]),
            "binary junk": signed([b"\xff\xfe\x00\x01", b"\x00", b"{}", b"{}"]),
            "empty frames": [b"", b"", b""],
        }
        for name, frames in frame_sets.items():
            with self.subTest(name):
                sock.send_multipart(frames)
                rep = self.k.reply(self.k.send("kernel_info_request"), timeout=15)
                self.assertEqual(rep["msg_type"], "kernel_info_reply", name)
        # the same on control
        ctl = self.k.kc.control_channel.socket
        ctl.send_multipart(signed([b"{not json", b"{}", b"{}", b"{}"]))
        ctl.send_multipart([b"garbage"])
        rep = self.k.reply(self.k.send("kernel_info_request", channel="control"), "control", 15)
        self.assertEqual(rep["msg_type"], "kernel_info_reply")
        strays = self.stray_shell_replies()
        self.assertEqual(strays, {}, "replies to dropped frames: %s" % strays)
        self.assertAlive()

    def test_request_with_missing_content_fields(self):
        # a signed, well-formed execute_request whose content lacks "code": an error reply, not a crash
        mid = self.k.send("execute_request", {"silent": False})
        rep = self.k.maybe_reply(mid, timeout=15)
        self.k.iopub_so_far(mid, 0.5)
        self.assertAlive()
        if rep is not None:
            self.assertIn(rep["content"].get("status"), ("ok", "error"), rep["content"])
        # complete_request without cursor_pos
        mid = self.k.send("complete_request", {"code": "Str"})
        self.k.maybe_reply(mid, timeout=10)
        self.assertAlive()


if __name__ == "__main__":
    unittest.main()
