"""A small SMTP server on 127.0.0.1 that takes what it is sent, and refuses or drops the
messages it is told to: the outbox tests speak to it through Django's real SMTP backend."""

import socketserver
import threading
from email import message_from_bytes


class _Session(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        server: SMTPServer = self.server  # type: ignore[assignment]
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            verb = line.decode().strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                with server.lock:
                    server.handed += 1
                    number = server.handed
                if number in server.drop:
                    return  # the connection drops mid-message
                if number in server.refuse:
                    self.reply("451 4.3.0 Try again later")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                with server.lock:
                    server.received.append(message_from_bytes(data))
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.lock = threading.Lock()
        self.handed = 0  # messages offered (DATA), counted from 1
        self.refuse: set[int] = set()  # answered 451 "try again later"
        self.drop: set[int] = set()  # connection closed mid-message
        self.received: list = []

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> "SMTPServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
