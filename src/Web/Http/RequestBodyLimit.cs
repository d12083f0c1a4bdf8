namespace MetricsEngine.Web.Http;

/// <summary>
/// Bodies over the limit (<c>Api:MaxRequestBodyBytes</c>, default 1 MiB) are answered 413 before
/// anything reads them: by Content-Length when given, else as soon as a chunked body passes the
/// limit. Kestrel enforces the same limit; this also holds behind any server or proxy.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IConfiguration configuration)
{
    public const long DefaultLimit = 1024 * 1024;

    private readonly long _limit = configuration.GetValue("Api:MaxRequestBodyBytes", DefaultLimit);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > _limit)
        {
            throw TooLarge();
        }

        if (context.Request.ContentLength is null && context.Request.Body.CanRead)
        {
            context.Request.Body = new LimitedStream(context.Request.Body, _limit);
        }

        return next(context);
    }

    private static BadHttpRequestException TooLarge() =>
        new("The request body is larger than the API accepts.", StatusCodes.Status413PayloadTooLarge);

    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw TooLarge() : read;
        }
    }
}
