using Dapper;

namespace ImageGen.Core.Storage.Sql;

/// <summary>
/// Masks secrets in the error messages already stored (jobs and runs), for rows written before messages were redacted on
/// the way in, or before a key was configured. Not a queue operation: the worker calls it once at start
/// (<c>QueueJanitor</c>) with its own provider keys, the only process that knows them.
/// </summary>
public sealed class StoredSecretScrubber(Database database)
{
    /// <summary>
    /// Replaces each of <paramref name="secrets"/> with <paramref name="mask"/> in every stored error message, in one
    /// transaction. Returns how many rows changed.
    /// </summary>
    public Task<int> ScrubAsync(IEnumerable<string> secrets, string mask, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (c, t) =>
        {
            var changed = 0;
            foreach (var secret in secrets)
            {
                var parameters = new { secret, mask };
                changed += await c.ExecuteAsync(
                    "UPDATE jobs SET error_message = replace(error_message, @secret, @mask) WHERE replace(error_message, @secret, @mask) <> error_message", parameters, t);
                changed += await c.ExecuteAsync(
                    "UPDATE runs SET error_message = replace(error_message, @secret, @mask) WHERE replace(error_message, @secret, @mask) <> error_message", parameters, t);
            }
            return changed;
        }, cancellationToken);
}
