"""A minimal SMTP server in a thread, for the fault tests: it records each message it accepts, or it hangs."""

import socket
import socketserver
import threading


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        if self.server.hang:
            self.server.stop.wait(10)  # accepts the connection, never answers
            return
        self.reply("220 test ESMTP")
        sender, recipients = None, []
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test")
            elif verb == "MAIL":
                sender, recipients = line.decode().strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 fin par <CRLF>.<CRLF>")
                data = []
                while (body := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(body)
                self.server.received.append({"from": sender, "to": recipients, "data": b"".join(data)})
                self.reply("250 OK accepté")
            elif verb == "RSET":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 au revoir")
                return
            else:
                self.reply("502 non")


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, hang: bool = False):
        super().__init__(("127.0.0.1", port), _Handler)
        self.hang = hang
        self.received: list[dict] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.shutdown()
        self.server_close()
