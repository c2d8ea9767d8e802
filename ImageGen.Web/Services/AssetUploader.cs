using ImageGen.Core.Assets;
using ImageGen.Core.Imaging;
using ImageGen.Core.Storage;

namespace ImageGen.Web.Services;

/// <summary>
/// Takes an uploaded image for a brand's asset library or a work item's references: checks the form's fields, reads the
/// file within <see cref="InputLimits.MaxBytes"/> (refusing a larger one before reading it), has <see cref="AssetIntake"/>
/// check and keep it, then records it. Says in one sentence what happened; a refused upload changes nothing.
/// </summary>
public sealed class AssetUploader(AssetIntake intake, AssetStore assets, ILogger<AssetUploader> logger)
{
    public const int MaxNote = 500;

    public async Task<(bool Ok, string Message)> UploadAsync(IFormFile? file, string? role, string? note, long? brandId, long? workItemId, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return (false, "Choose an image file to upload (PNG, JPEG or WebP).");
        }
        var label = AssetIntake.Label(file.FileName);
        role = string.IsNullOrWhiteSpace(role) ? AssetRoles.Other : role.Trim().ToLowerInvariant();
        if (!AssetRoles.All.Contains(role))
        {
            return (false, $"'{role}' is not a role. Choose {string.Join(", ", AssetRoles.All)}.");
        }
        note = note?.Trim() ?? "";
        if (note.Length > MaxNote)
        {
            return (false, $"The note is {note.Length} characters; the limit is {MaxNote}.");
        }
        AssetFile stored;
        try
        {
            InputLimits.CheckLength(file.Length, $"'{label}'"); // before reading it
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            stored = intake.Accept(buffer.ToArray(), label);
        }
        catch (ImageRejectedException e)
        {
            LogRefused(logger, label, e.Message);
            return (false, e.Message);
        }
        var id = await assets.AddAsync(brandId, workItemId, stored, role, note, label, cancellationToken);
        return id is null
            ? (false, $"There are already {AssetStore.MaxPerOwner} images here; delete one before adding another.")
            : (true, $"'{label}' added as {role} ({stored.Width}×{stored.Height} {stored.Format}).");
    }

    /// <summary>Deletes an asset no job has sent, retires one a job has sent; refuses one that <paramref name="belongs"/> rejects.</summary>
    public async Task<(bool Ok, string Message)> RemoveAsync(long assetId, Func<Asset, bool> belongs, string owner, CancellationToken cancellationToken)
    {
        if (await assets.GetAsync(assetId, cancellationToken) is not { } asset || !belongs(asset))
        {
            return (false, $"image #{assetId} is not one of {owner}; nothing changed.");
        }
        return await assets.RemoveAsync(assetId, cancellationToken) switch
        {
            AssetRemoval.Deleted => (true, $"'{asset.OriginalName}' deleted."),
            AssetRemoval.Retired => (true, $"'{asset.OriginalName}' retired: runs sent it, so it is kept for their history but no longer offered."),
            _ => (false, $"image #{assetId} no longer exists."),
        };
    }

    private static void LogRefused(ILogger logger, string name, string reason) =>
        logger.LogInformation("Upload {Name} refused: {Reason}", name, reason);
}
