"""comm_info_request, comm_open to a target registered in a cell, comm_msg round trip, comm_close."""

import unittest
import uuid

from jtune_it import KernelTestCase

TARGET = "jtune.it.echo"

REGISTER = """
io.jtune.kernel.api.Comms.registerTarget("%s", (comm, data) -> {
    comm.send(java.util.Map.of("opened", String.valueOf(data.get("hello"))));
    comm.onMessage(msg -> comm.send(java.util.Map.of("echo", msg)));
});
""" % TARGET


class CommTest(KernelTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.register_result = cls.k.execute(REGISTER)

    def setUp(self):
        r = self.register_result
        self.assertEqual(r.status, "ok", "registering a comm target failed: %s\n%s"
                         % (r.content, r.traceback()))

    def comm_info(self, target=None):
        content = {} if target is None else {"target_name": target}
        rep, _ = self.k.request("comm_info_request", content)
        self.assertEqual(rep["msg_type"], "comm_info_reply")
        self.assertEqual(rep["content"].get("status"), "ok", rep["content"])
        self.assertIsInstance(rep["content"]["comms"], dict)
        return rep["content"]["comms"]

    def open(self, data=None):
        cid = uuid.uuid4().hex
        mid = self.k.send("comm_open", {"comm_id": cid, "target_name": TARGET, "data": data or {}})
        msgs = self.k.iopub(mid, timeout=30)
        return cid, mid, msgs

    def comm_msgs(self, msgs, cid):
        return [m for m in msgs if m["msg_type"] == "comm_msg" and m["content"].get("comm_id") == cid]

    def test_comm_info_empty_target(self):
        comms = self.comm_info("no.such.target")
        self.assertEqual(comms, {})

    def test_open_message_close(self):
        cid, open_id, msgs = self.open({"hello": "world"})
        opened = self.comm_msgs(msgs, cid)
        self.assertEqual(len(opened), 1, [m["msg_type"] for m in msgs])
        self.assertEqual(opened[0]["content"]["data"], {"opened": "world"})
        self.assertEqual(opened[0]["parent_header"]["msg_id"], open_id)

        comms = self.comm_info()
        self.assertIn(cid, comms)
        self.assertEqual(comms[cid].get("target_name"), TARGET)
        self.assertIn(cid, self.comm_info(TARGET))

        # round trip: client comm_msg -> handler -> comm_msg on iopub, parented to the request
        mid = self.k.send("comm_msg", {"comm_id": cid, "data": {"value": 42, "text": "ping"}})
        msgs = self.k.iopub(mid, timeout=30)
        echo = self.comm_msgs(msgs, cid)
        self.assertEqual(len(echo), 1, "no comm_msg reply on iopub: %s" % [m["msg_type"] for m in msgs])
        self.assertEqual(echo[0]["content"]["data"], {"echo": {"value": 42, "text": "ping"}})

        # several messages keep their order
        mids = [self.k.send("comm_msg", {"comm_id": cid, "data": {"n": i}}) for i in range(5)]
        got = []
        for m in mids:
            got += [x["content"]["data"]["echo"]["n"] for x in self.comm_msgs(self.k.iopub(m, 30), cid)]
        self.assertEqual(got, list(range(5)))

        mid = self.k.send("comm_close", {"comm_id": cid, "data": {}})
        self.k.iopub(mid, timeout=30)
        self.assertNotIn(cid, self.comm_info())

        # a message to a closed comm is dropped without killing the kernel
        mid = self.k.send("comm_msg", {"comm_id": cid, "data": {"value": 1}})
        msgs = self.k.iopub(mid, timeout=30)
        self.assertEqual(self.comm_msgs(msgs, cid), [])
        self.assertAlive()

    def test_two_comms_are_independent(self):
        a, _, _ = self.open({"hello": "a"})
        b, _, _ = self.open({"hello": "b"})
        mid = self.k.send("comm_msg", {"comm_id": b, "data": {"to": "b"}})
        msgs = self.k.iopub(mid, 30)
        self.assertEqual(self.comm_msgs(msgs, a), [])
        self.assertEqual([m["content"]["data"] for m in self.comm_msgs(msgs, b)], [{"echo": {"to": "b"}}])
        for cid in (a, b):
            self.k.iopub(self.k.send("comm_close", {"comm_id": cid, "data": {}}), 30)
        comms = self.comm_info()
        self.assertNotIn(a, comms)
        self.assertNotIn(b, comms)

    def test_open_unknown_target(self):
        cid = uuid.uuid4().hex
        mid = self.k.send("comm_open", {"comm_id": cid, "target_name": "no.such.target", "data": {}})
        msgs = self.k.iopub(mid, 30)
        # the kernel tells the frontend the comm is closed (as ipykernel does), or at least keeps no comm
        self.assertNotIn(cid, self.comm_info())
        closes = [m for m in msgs if m["msg_type"] == "comm_close" and m["content"].get("comm_id") == cid]
        self.assertEqual(len(closes), 1, "no comm_close for a comm_open to an unknown target: %s"
                         % [m["msg_type"] for m in msgs])
        self.assertAlive()


if __name__ == "__main__":
    unittest.main()
