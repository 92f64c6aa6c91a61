"""A real Scrapy crawl through why401.scrapy.Why401Middleware (run by
test_scrapy.py in its own process: Twisted's reactor starts once).

    python3 crawl.py BASE_URL OUT.json

Crawls /bot, /bearer, /slow, /fixture/forbidden, /fixture/proxy-407 and
/fixture/ok, and writes the crawl's stats and items to OUT.json."""

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess


class Spider(scrapy.Spider):
    name = "why401-test"
    custom_settings = {
        "DOWNLOADER_MIDDLEWARES": {"why401.scrapy.Why401Middleware": 560},
        "WHY401_DEFAULT_DELAY": 0.5,
        "RETRY_ENABLED": True,
        "ROBOTSTXT_OBEY": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "HTTPERROR_ALLOW_ALL": True,
    }

    def __init__(self, base, **kw):
        super().__init__(**kw)
        self.base = base
        self.refreshed = 0
        self.rotations = 0
        self.dropped = []
        self.items = []

    def start_requests(self):
        for path in ("/bot?k=scrapy", "/bearer", "/slow?k=scrapy", "/fixture/forbidden", "/fixture/proxy-407", "/fixture/ok", "/nothing"):
            yield scrapy.Request(self.base + path, errback=self.failed)

    def why401_refresh_credentials(self, request, result):
        # A real spider would get a new token here; the result says why.
        self.refreshed += 1
        request.headers["Authorization"] = "Bearer fresh-token"
        return request

    def why401_rotate_session(self, request, result):
        # After the middleware's own rotation (a new cookie jar): a new fingerprint.
        self.rotations += 1
        request.headers["User-Agent"] = "why401-test/2"

    def parse(self, response):
        res = response.meta.get("why401")
        item = {"url": response.url, "status": response.status, "action": res.action if res else None}
        self.items.append(item)
        yield item

    def failed(self, failure):
        self.dropped.append(failure.request.url)


def main():
    base, out = sys.argv[1], sys.argv[2]
    process = CrawlerProcess()
    crawler = process.create_crawler(Spider)
    process.crawl(crawler, base=base)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
    spider = crawler.spider
    with open(out, "w") as f:
        json.dump({"stats": stats, "items": spider.items, "refreshed": spider.refreshed, "rotations": spider.rotations, "dropped": sorted(spider.dropped)}, f, indent=1)


if __name__ == "__main__":
    main()
